using System.Diagnostics;
using System.Text;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Publishing;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Messaging;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Notifications.NotificationsApiClient;

namespace TaskFlow.Tests.Notifications;

/// <summary>
/// The Notifier against the real broker and database: CloudEvents published straight to <c>taskflow.events</c>,
/// results observed through the API (as the user) and in what the Notifier stored.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class NotifierConsumptionTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Task_created_event_on_the_exchange_is_in_the_assignees_inbox()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        var taskId = Guid.NewGuid();
        // Latency is measured by bench/run.sh, not asserted here; 10 s only bounds the wait.
        await broker.PublishAsync(new TaskCreated(taskId, owner.Id, assignee.Id, "Quarterly report", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        var (notification, _) = await WaitForAsync(notifier, assignee.AccessToken, taskId, TimeSpan.FromSeconds(10));

        Assert.Equal("task.created", notification.Type);
        Assert.Contains("Quarterly report", notification.Message, StringComparison.Ordinal);
        Assert.Null(notification.ReadAt);
        // The creator, who assigned it to someone else, is not notified.
        Assert.DoesNotContain((await ListAsync(notifier, owner.AccessToken, "?limit=100")).Items, n => n.TaskId == taskId);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_yields_one_notification()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        var taskId = Guid.NewGuid();
        var eventId = Guid.CreateVersion7();
        var evt = new TaskCreated(taskId, owner.Id, null, "Twice", "todo", owner.Id, 1, DateTimeOffset.UtcNow);
        await broker.PublishAsync(evt, eventId);
        await broker.PublishAsync(evt, eventId);
        // A later event: once it is visible, and a moment more, both copies of the first have been handled.
        var sentinel = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(sentinel, owner.Id, null, "Sentinel", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        await WaitForAsync(notifier, owner.AccessToken, sentinel, TimeSpan.FromSeconds(10));
        await Task.Delay(OneSecond);

        var items = (await ListAsync(notifier, owner.AccessToken, "?limit=100")).Items;
        Assert.Single(items, n => n.TaskId == taskId);
        Assert.Equal(1, await NotificationsStore.CountAsync(fixture, "notifications WHERE event_id = @id", ("id", eventId)));
        Assert.Equal(1, await NotificationsStore.CountAsync(fixture, "processed_events WHERE event_id = @id", ("id", eventId)));
    }

    [Fact]
    public async Task Malformed_and_schema_invalid_messages_are_dead_lettered_while_the_next_valid_one_is_processed()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        var malformedId = "malformed-" + Guid.NewGuid().ToString("N");
        await broker.PublishRawAsync(EventTypes.TaskCreated, Encoding.UTF8.GetBytes("{ this is not json"), malformedId);
        var invalidId = Guid.NewGuid().ToString();
        var invalidBody = EnvelopeTests.Envelope(EventTypes.TaskCreated, invalidId, $$"""{"taskId":"{{Guid.NewGuid()}}","title":42}""");
        await broker.PublishRawAsync(EventTypes.TaskCreated, Encoding.UTF8.GetBytes(invalidBody), invalidId);

        var taskId = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(taskId, owner.Id, null, "After the poison", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        await WaitForAsync(notifier, owner.AccessToken, taskId, TimeSpan.FromSeconds(10));

        var deadLettered = new List<string?>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !(deadLettered.Contains(malformedId) && deadLettered.Contains(invalidId)))
        {
            deadLettered.AddRange((await broker.DrainAsync(MessagingTopology.DeadLetterQueueName("notifier"))).Select(m => m.Properties.MessageId));
            await Task.Delay(50);
        }

        Assert.Contains(malformedId, deadLettered);
        Assert.Contains(invalidId, deadLettered);
        // Dead-lettered at once, not retried: each appears exactly once.
        Assert.Single(deadLettered, id => id == malformedId);
        Assert.Single(deadLettered, id => id == invalidId);
    }

    [Fact]
    public async Task Status_change_by_the_assignee_and_a_comment_notify_by_the_rules()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var taskId = Guid.NewGuid();

        await broker.PublishAsync(new TaskUpdated(taskId, owner.Id, assignee.Id, assignee.Id, "Doc", "done", "in_progress", assignee.Id, 3, DateTimeOffset.UtcNow));
        var (statusChanged, _) = await WaitForAsync(notifier, owner.AccessToken, taskId, TimeSpan.FromSeconds(10));
        Assert.Equal("task.status_changed", statusChanged.Type);

        var commentTask = Guid.NewGuid();
        await broker.PublishAsync(new TaskCommentAdded(commentTask, Guid.NewGuid(), owner.Id, owner.Id, assignee.Id, "Doc", "Looks good", DateTimeOffset.UtcNow));
        var (comment, _) = await WaitForAsync(notifier, assignee.AccessToken, commentTask, TimeSpan.FromSeconds(10));
        Assert.Equal("task.comment.added", comment.Type);
        Assert.Contains("Looks good", comment.Message, StringComparison.Ordinal);
        // The author (the owner) is not told about their own comment.
        await Task.Delay(300);
        Assert.DoesNotContain((await ListAsync(notifier, owner.AccessToken, "?limit=100")).Items, n => n.TaskId == commentTask);
    }

    [Fact]
    public async Task Reassignment_described_by_task_updated_and_task_assigned_notifies_the_new_assignee_once()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var newAssignee = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var taskId = Guid.NewGuid();

        await broker.PublishAsync(new TaskUpdated(taskId, owner.Id, newAssignee.Id, null, "Doc", "todo", "todo", owner.Id, 2, DateTimeOffset.UtcNow));
        await broker.PublishAsync(new TaskAssigned(taskId, owner.Id, newAssignee.Id, null, "Doc", owner.Id, 2, DateTimeOffset.UtcNow));
        var sentinel = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(sentinel, newAssignee.Id, null, "Sentinel", "todo", newAssignee.Id, 1, DateTimeOffset.UtcNow));
        await WaitForAsync(notifier, newAssignee.AccessToken, sentinel, TimeSpan.FromSeconds(10));
        await Task.Delay(OneSecond);

        var assigned = Assert.Single((await ListAsync(notifier, newAssignee.AccessToken, "?limit=100")).Items, n => n.TaskId == taskId);
        Assert.Equal("task.assigned", assigned.Type);
    }

    [Fact]
    public async Task Task_updated_and_task_assigned_of_one_change_handled_at_once_store_one_notification_and_neither_is_retried()
    {
        using var users = PlainClients.Create(fixture, "users");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var taskIds = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToArray();
        var traces = new List<string>();

        // Both events of each change back to back: the two Notifier replicas take them at the same moment. Each event
        // has a trace of its own, so the Notifier's process spans count its attempts.
        ActivityContext NewTrace()
        {
            var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
            traces.Add(context.TraceId.ToHexString());
            return context;
        }

        foreach (var taskId in taskIds)
        {
            await broker.PublishAsync(new TaskUpdated(taskId, owner.Id, assignee.Id, null, "Doc", "todo", "todo", owner.Id, 2, DateTimeOffset.UtcNow), traceContext: NewTrace());
            await broker.PublishAsync(new TaskAssigned(taskId, owner.Id, assignee.Id, null, "Doc", owner.Id, 2, DateTimeOffset.UtcNow), traceContext: NewTrace());
        }

        var clock = Stopwatch.StartNew();
        while (!traces.All(trace => fixture.Telemetry.SpansOf(trace).Any(s => s.Service == "notifier" && s.Name.EndsWith(" process", StringComparison.Ordinal))))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "not every event was processed within 30 s");
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // a retry would come after 1 s; stragglers of the export batches
        var attempts = traces.Select(trace => fixture.Telemetry.SpansOf(trace).Count(s => s.Service == "notifier" && s.Name.EndsWith(" process", StringComparison.Ordinal))).ToList();
        Assert.True(attempts.All(n => n == 1), $"attempts per event: {string.Join(",", attempts)} (a failed attempt is retried)");
        Assert.Equal(taskIds.Length, await NotificationsStore.CountAsync(fixture, "notifications WHERE task_id = ANY(@ids)", ("ids", taskIds)));
        Assert.Equal(taskIds.Length, await NotificationsStore.CountAsync(fixture,
            "(SELECT DISTINCT task_id FROM notifications WHERE task_id = ANY(@ids) AND user_id = @user) AS t", ("ids", taskIds), ("user", assignee.Id)));
    }

    [Fact]
    public async Task Stream_delivers_a_new_notification_to_streams_on_every_replica()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var user = await UsersApiClient.RegisterAndLoginAsync(users);

        // Open streams until they sit on at least two different replicas (the endpoint balances across replicas).
        var streams = new List<EventStream>();
        try
        {
            for (var i = 0; i < 12 && streams.Select(s => s.Replica).Distinct().Count() < 2; i++)
            {
                streams.Add(await EventStream.OpenAsync(notifier, user.AccessToken));
            }

            Assert.True(streams.Select(s => s.Replica).Distinct().Count() >= 2, "Expected streams on two Notifier replicas.");

            await using var broker = await BrokerClient.ConnectAsync(fixture);
            var taskId = Guid.NewGuid();
            await broker.PublishAsync(new TaskCreated(taskId, user.Id, null, "Live", "todo", user.Id, 1, DateTimeOffset.UtcNow));

            // Only one replica consumed the event; every stream, on either replica, gets it.
            var received = await Task.WhenAll(streams.Select(s => s.NextAsync(TimeSpan.FromSeconds(10))));
            Assert.All(received, n => Assert.Equal(taskId, n.TaskId));
            Assert.All(received, n => Assert.Equal("task.created", n.Type));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Stream_shows_only_the_callers_own_notifications()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var watcher = await UsersApiClient.RegisterAndLoginAsync(users);
        var other = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var stream = await EventStream.OpenAsync(notifier, watcher.AccessToken);
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        var othersTask = Guid.NewGuid();
        var ownTask = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(othersTask, other.Id, null, "Not yours", "todo", other.Id, 1, DateTimeOffset.UtcNow));
        await WaitForAsync(notifier, other.AccessToken, othersTask, TimeSpan.FromSeconds(10));
        await broker.PublishAsync(new TaskCreated(ownTask, watcher.Id, null, "Yours", "todo", watcher.Id, 1, DateTimeOffset.UtcNow));

        var first = await stream.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ownTask, first.TaskId);
    }
}
