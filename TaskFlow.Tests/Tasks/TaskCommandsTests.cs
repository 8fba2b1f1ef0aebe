using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using TaskFlow.Messaging.Outbox.MongoDB;
using TaskFlow.Tasks.Application;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tasks.IntegrationEvents;
using TaskFlow.Tasks.Model;
using TaskFlow.Tests.Unit;

namespace TaskFlow.Tests.Tasks;

/// <summary>
/// The decisions of the application layer (<see cref="TaskCommands"/>, <see cref="TaskReads"/>) in the service's own
/// composition (<see cref="InProcessTasksApp"/>: fakes only at the process edge; the broker is down, so staged events
/// stay in their documents, where they are counted), with a Users service that answers "exists" (or not) and, while
/// it is being asked, can let another writer change the task.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TaskCommandsTests : IAsyncLifetime
{
    private static readonly Caller Owner = new(Guid.NewGuid().ToString(), IsAdmin: false);
    private static readonly Caller Assignee = new(Guid.NewGuid().ToString(), IsAdmin: false);
    private static readonly Caller Stranger = new(Guid.NewGuid().ToString(), IsAdmin: false);
    private static readonly Caller Admin = new(Guid.NewGuid().ToString(), IsAdmin: true);
    private readonly UsersService _users = new();
    private InProcessTasksApp _tasks = null!;
    private IServiceScope _scope = null!;

    private TaskCommands Commands => _scope.ServiceProvider.GetRequiredService<TaskCommands>();

    private TaskReads Reads => _scope.ServiceProvider.GetRequiredService<TaskReads>();

    private TaskRepository Repository => _scope.ServiceProvider.GetRequiredService<TaskRepository>();

    public async Task InitializeAsync()
    {
        // Without Redis a change to an existing task is answered one stamp lease later; keep that wait short.
        var settings = new Dictionary<string, string> { ["TaskCache:StampLease"] = "00:00:01" };
        _tasks = await InProcessTasksApp.StartAsync(() => new UsersServiceHandler(_users), settings: settings);
        _scope = _tasks.App.Services.CreateScope();
    }

    public async Task DisposeAsync()
    {
        _scope.Dispose();
        await _tasks.DisposeAsync();
    }

    [Fact]
    public async Task An_unconditional_update_that_loses_a_race_is_retried_on_the_fresh_version_and_staged_once()
    {
        var task = await CreateAsync(assignee: null);
        _users.WhileAsked = () => AnotherWriterAsync(task.Id);

        var outcome = await Commands.ReplaceAsync(task.Id, Input("Ours", Assignee), Owner, VersionCondition.Unconditional, null, default);

        var updated = Assert.IsType<TaskOutcome<TaskItem>.Done>(outcome).Value;
        Assert.Equal(3, updated.Version);
        Assert.Equal("Ours", updated.Title);
        Assert.Equal(Assignee.UserId, updated.AssigneeId);
        Assert.Equal(3, (await Repository.FindAsync(task.Id, default))?.Version);
        Assert.Equal(
            [("task.created", 1), ("task.updated", 2), ("task.updated", 3), ("task.assigned", 3)],
            await StagedAsync(TaskDocument.CollectionName, task.Id));
    }

    [Fact]
    public async Task A_conditional_update_that_loses_a_race_fails_its_precondition_and_stages_nothing()
    {
        var task = await CreateAsync(assignee: null);
        _users.WhileAsked = () => AnotherWriterAsync(task.Id);

        var outcome = await Commands.ReplaceAsync(task.Id, Input("Ours", Assignee), Owner, VersionCondition.OneOf([1]), null, default);

        Assert.Equal(new TaskFailure.PreconditionFailed(null), Failure(outcome));
        Assert.Equal("Theirs", (await Repository.FindAsync(task.Id, default))?.Title);
        Assert.Equal([("task.created", 1), ("task.updated", 2)], await StagedAsync(TaskDocument.CollectionName, task.Id));
    }

    [Fact]
    public async Task A_stale_If_Match_fails_with_the_current_version_for_update_and_delete_and_changes_nothing()
    {
        var task = await CreateAsync(assignee: null);
        await AnotherWriterAsync(task.Id);
        var stale = VersionCondition.OneOf([task.Version]);

        var replaced = await Commands.ReplaceAsync(task.Id, Input("Lost update", null), Owner, stale, null, default);
        var deleted = await Commands.DeleteAsync(task.Id, Owner, stale, default);

        Assert.Equal(new TaskFailure.PreconditionFailed(2), Failure(replaced));
        Assert.Equal(new TaskFailure.PreconditionFailed(2), Failure(deleted));
        var stored = await Repository.FindAsync(task.Id, default);
        Assert.Equal(2, stored?.Version);
        Assert.Equal("Theirs", stored?.Title);
        Assert.Equal([("task.created", 1), ("task.updated", 2)], await StagedAsync(TaskDocument.CollectionName, task.Id));
    }

    [Fact]
    public async Task A_task_the_caller_cannot_see_is_not_found_by_every_command_and_query()
    {
        var task = await CreateAsync(Assignee);

        Assert.IsType<TaskFailure.NotFound>(Failure(await Commands.ReplaceAsync(task.Id, Input("Mine now", null), Stranger, VersionCondition.Unconditional, null, default)));
        Assert.IsType<TaskFailure.NotFound>(Failure(await Commands.DeleteAsync(task.Id, Stranger, VersionCondition.Unconditional, default)));
        Assert.IsType<TaskFailure.NotFound>(Failure(await Commands.AddCommentAsync(task.Id, new CommentInput { Body = "Hi" }, Stranger, default)));
        Assert.IsType<TaskFailure.NotFound>(Failure(await Reads.GetAsync(task.Id, Stranger, default)));
        Assert.IsType<TaskFailure.NotFound>(Failure(await Reads.ListCommentsAsync(task.Id, Stranger, new Paging(20, null), default)));
        Assert.IsType<TaskFailure.NotFound>(Failure(await Commands.DeleteAsync("not-a-task-id", Owner, VersionCondition.Unconditional, default)));
        Assert.IsType<TaskFailure.NotFound>(Failure(await Commands.DeleteAsync(Guid.NewGuid().ToString(), Owner, VersionCondition.Unconditional, default)));
        Assert.Equal([("task.created", 1)], await StagedAsync(TaskDocument.CollectionName, task.Id));
        Assert.Equal(0, await _tasks.Database.GetCollection<BsonDocument>(CommentDocument.CollectionName).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task Who_sees_the_task_but_may_not_act_on_it_is_forbidden_and_changes_nothing()
    {
        var task = await CreateAsync(Assignee);

        Assert.IsType<TaskFailure.Forbidden>(Failure(await Commands.DeleteAsync(task.Id, Assignee, VersionCondition.Unconditional, default)));
        Assert.IsType<TaskFailure.Forbidden>(Failure(await Commands.ReplaceAsync(task.Id, Input("Admin edit", null), Admin, VersionCondition.Unconditional, null, default)));
        Assert.IsType<TaskFailure.Forbidden>(Failure(await Commands.AddCommentAsync(task.Id, new CommentInput { Body = "Admin note" }, Admin, default)));
        Assert.IsType<TaskOutcome<TaskItem>.Done>(await Reads.GetAsync(task.Id, Admin, default));
        Assert.Equal(1, (await Repository.FindAsync(task.Id, default))?.Version);
        Assert.Equal([("task.created", 1)], await StagedAsync(TaskDocument.CollectionName, task.Id));
    }

    [Fact]
    public async Task A_comment_and_a_delete_each_stage_their_event_exactly_once()
    {
        var task = await CreateAsync(Assignee);

        var commented = await Commands.AddCommentAsync(task.Id, new CommentInput { Body = "On it" }, Assignee, default);
        var deleted = await Commands.DeleteAsync(task.Id, Owner, VersionCondition.OneOf([1]), default);

        var comment = Assert.IsType<TaskOutcome<TaskComment>.Done>(commented).Value;
        Assert.Equal([("task.comment.added", 0)], await StagedAsync(CommentDocument.CollectionName, comment.Id));
        Assert.Equal(task.Id, Assert.IsType<TaskOutcome<TaskItem>.Done>(deleted).Value.Id);
        Assert.Null(await Repository.FindAsync(task.Id, default));
        Assert.Equal([("task.created", 1), ("task.deleted", 1)], await StagedAsync(TaskDocument.CollectionName, task.Id));
        Assert.IsType<TaskFailure.NotFound>(Failure(await Reads.GetAsync(task.Id, Owner, default)));
    }

    [Fact]
    public async Task An_assignee_the_Users_service_does_not_know_is_invalid_and_nothing_is_written()
    {
        var task = await CreateAsync(assignee: null);
        _users.Answer = HttpStatusCode.NotFound;

        var created = await Commands.CreateAsync(Input("Orphan", Assignee), Owner, null, default);
        var replaced = await Commands.ReplaceAsync(task.Id, Input("Reassigned", Assignee), Owner, VersionCondition.Unconditional, null, default);
        _users.Answer = HttpStatusCode.Forbidden;
        var unanswered = await Commands.ReplaceAsync(task.Id, Input("Reassigned", Stranger), Owner, VersionCondition.Unconditional, null, default);

        var invalid = new TaskFailure.Invalid("assigneeId", "No user with this id exists.");
        Assert.Equal(invalid, Failure(created));
        Assert.Equal(invalid, Failure(replaced));
        Assert.IsType<TaskFailure.UsersUnavailable>(Failure(unanswered));
        Assert.Equal(1, await _tasks.Database.GetCollection<BsonDocument>(TaskDocument.CollectionName).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        Assert.Equal([("task.created", 1)], await StagedAsync(TaskDocument.CollectionName, task.Id));
    }

    [Fact]
    public async Task A_cursor_issued_for_another_query_is_invalid()
    {
        var other = new PageCursor("createdAt", 0, Guid.NewGuid().ToString(), "0000000000000000").Encode();

        var outcome = await Reads.ListAsync(Owner, new TaskListQuery { Paging = new Paging(20, other) }, default);

        var invalid = Assert.IsType<TaskFailure.Invalid>(Failure(outcome));
        Assert.Equal("cursor", invalid.Field);
    }

    private static TaskInput Input(string title, Caller? assignee) => new() { Title = title, AssigneeId = assignee?.UserId };

    private static TaskFailure Failure<T>(TaskOutcome<T> outcome) => Assert.IsType<TaskOutcome<T>.Failed>(outcome).Failure;

    private async Task<TaskItem> CreateAsync(Caller? assignee)
    {
        var outcome = await Commands.CreateAsync(Input("Plan", assignee), Owner, null, default);
        var task = Assert.IsType<TaskOutcome<TaskItem>.Done>(outcome).Value;
        _users.Asked = 0;
        return task;
    }

    /// <summary>Another replica's writer: replaces the title at the current version, staging its own event.</summary>
    private async Task AnotherWriterAsync(string id)
    {
        var current = await Repository.FindAsync(id, default) ?? throw new InvalidOperationException("No task to change.");
        var theirs = current.Replace(Input("Theirs", null) with { AssigneeId = current.AssigneeId }, DateTime.UtcNow);
        Assert.True(await Repository.ReplaceAsync(theirs, current.Version, new TaskEventOutbox().Updated(current, theirs, Owner.UserId), default));
    }

    /// <summary>The type and version (0 for events without one) of every event staged in the document, in order.</summary>
    private async Task<IReadOnlyList<(string Type, long Version)>> StagedAsync(string collection, string id)
    {
        var document = await _tasks.Database.GetCollection<BsonDocument>(collection).Find(new BsonDocument("_id", id)).SingleAsync();
        return [.. document.GetValue(PendingEvent.FieldName, new BsonArray()).AsBsonArray.Select(pending =>
        {
            using var envelope = JsonDocument.Parse(pending["envelope"].AsString);
            var data = envelope.RootElement.GetProperty("data");
            return (pending["type"].AsString, data.TryGetProperty("version", out var version) ? version.GetInt64() : 0);
        })];
    }

    /// <summary>The Users service edge: how it answers a lookup, how often it was asked, and what happens meanwhile.</summary>
    private sealed class UsersService
    {
        public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

        public int Asked { get; set; }

        public Func<Task>? WhileAsked { get; set; }
    }

    private sealed class UsersServiceHandler(UsersService users) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            users.Asked++;
            if (users.WhileAsked is { } meanwhile)
            {
                users.WhileAsked = null;
                await meanwhile();
            }

            return new HttpResponseMessage(users.Answer);
        }
    }
}
