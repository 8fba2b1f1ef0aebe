using System.Text.Json;
using MongoDB.Bson;
using TaskFlow.Messaging.Schemas;
using TaskFlow.Tasks.IntegrationEvents;
using TaskFlow.Tasks.Model;

namespace TaskFlow.Tests.Tasks;

/// <summary>Which events each change stages, and that each staged envelope's data passes its JSON Schema.</summary>
[Trait("Category", "Unit")]
public sealed class TaskEventOutboxTests
{
    private static readonly string Owner = Guid.NewGuid().ToString();
    private static readonly string Alice = Guid.NewGuid().ToString();
    private static readonly string Bob = Guid.NewGuid().ToString();
    private readonly TaskEventOutbox _outbox = new();

    private static TaskItem NewTask(string? assignee) =>
        TaskItem.Create(new TaskInput { Title = "Plan", AssigneeId = assignee, Tags = ["x"] }, Owner, DateTime.UtcNow);

    private static (string Type, JsonElement Data, string Subject) Read(BsonDocument pending)
    {
        using var envelope = JsonDocument.Parse(pending["envelope"].AsString);
        var root = envelope.RootElement;
        Assert.Equal(pending["type"].AsString, root.GetProperty("type").GetString());
        Assert.Equal(pending["id"].AsString, root.GetProperty("id").GetString());
        var data = root.GetProperty("data").Clone();
        var validation = IntegrationEventSchemas.Validate(pending["type"].AsString, data);
        Assert.True(validation.IsValid, validation.ToString());
        return (pending["type"].AsString, data, root.GetProperty("subject").GetString() ?? "");
    }

    [Fact]
    public void Create_stages_only_task_created_even_with_an_assignee()
    {
        var task = NewTask(Alice);
        var events = _outbox.Created(task, Owner).Select(Read).ToList();
        var created = Assert.Single(events);
        Assert.Equal("task.created", created.Type);
        Assert.Equal($"tasks/{task.Id}", created.Subject);
        Assert.Equal(Alice, created.Data.GetProperty("assigneeId").GetString());
        Assert.Equal(1, created.Data.GetProperty("version").GetInt64());
    }

    [Fact]
    public void Update_stages_task_updated_and_task_assigned_only_when_the_assignee_changed()
    {
        var before = NewTask(Alice);
        var sameAssignee = before.Replace(new TaskInput { Title = "Plan", Status = TaskItemStatus.Done, AssigneeId = Alice }, DateTime.UtcNow);
        var updated = Assert.Single(_outbox.Updated(before, sameAssignee, Alice).Select(Read));
        Assert.Equal("task.updated", updated.Type);
        Assert.Equal("done", updated.Data.GetProperty("status").GetString());
        Assert.Equal("todo", updated.Data.GetProperty("previousStatus").GetString());

        var reassigned = before.Replace(new TaskInput { Title = "Plan", AssigneeId = Bob }, DateTime.UtcNow);
        var events = _outbox.Updated(before, reassigned, Owner).Select(Read).ToList();
        Assert.Equal(["task.updated", "task.assigned"], events.Select(e => e.Type));
        var assigned = events[1].Data;
        Assert.Equal(Bob, assigned.GetProperty("assigneeId").GetString());
        Assert.Equal(Alice, assigned.GetProperty("previousAssigneeId").GetString());
        Assert.Equal(2, assigned.GetProperty("version").GetInt64());

        var unassigned = before.Replace(new TaskInput { Title = "Plan" }, DateTime.UtcNow);
        var lastAssigned = _outbox.Updated(before, unassigned, Owner).Select(Read).Last();
        Assert.Equal("task.assigned", lastAssigned.Type);
        Assert.Equal(JsonValueKind.Null, lastAssigned.Data.GetProperty("assigneeId").ValueKind);
    }

    [Fact]
    public void Delete_and_comment_stage_their_events()
    {
        var task = NewTask(null);
        Assert.Equal("task.deleted", Assert.Single(_outbox.Deleted(task, Owner, DateTime.UtcNow).Select(Read)).Type);

        var comment = TaskComment.Create(task.Id, Owner, new string('c', 300), DateTime.UtcNow);
        var added = Assert.Single(_outbox.CommentAdded(task, comment).Select(Read));
        Assert.Equal("task.comment.added", added.Type);
        Assert.Equal(200, added.Data.GetProperty("excerpt").GetString()?.Length);
        Assert.Equal(comment.Id, added.Data.GetProperty("commentId").GetString());
    }
}
