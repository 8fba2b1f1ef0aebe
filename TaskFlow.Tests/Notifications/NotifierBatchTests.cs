using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Notifier.Infrastructure;
using TaskFlow.Notifier.IntegrationEvents;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Notifications.NotificationsApiClient;

namespace TaskFlow.Tests.Notifications;

/// <summary>
/// Exactly-once under batching: the Notifier's batch handler against the real notifications database (its one
/// statement), and bursts through the broker that the real Notifier takes in batches, watched on a live stream.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class NotifierBatchTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_batch_with_an_already_applied_event_the_same_event_twice_and_a_reassignment_pair_stores_and_pushes_each_notification_once()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var user = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var stream = await EventStream.OpenAsync(notifier, user.AccessToken);
        await using var inserts = await InsertsAsync();
        var handler = new TaskNotificationHandler(inserts, TimeProvider.System, NullLogger<TaskNotificationHandler>.Instance);

        var applied = Item(new TaskCreated(Guid.NewGuid(), owner.Id, user.Id, "Applied before", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        await handler.HandleBatchAsync([applied], CancellationToken.None);
        var twice = Item(new TaskCreated(Guid.NewGuid(), owner.Id, user.Id, "Twice in the batch", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        var fresh = Item(new TaskCreated(Guid.NewGuid(), owner.Id, user.Id, "Fresh", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        var reassigned = Guid.NewGuid();
        var updated = Item(new TaskUpdated(reassigned, owner.Id, user.Id, null, "Pair", "todo", "todo", owner.Id, 2, DateTimeOffset.UtcNow));
        var assigned = Item(new TaskAssigned(reassigned, owner.Id, user.Id, null, "Pair", owner.Id, 2, DateTimeOffset.UtcNow));
        await handler.HandleBatchAsync([applied, twice, fresh, twice, updated, assigned], CancellationToken.None);
        // Redelivered again, as after a lost ack: nothing more.
        await handler.HandleBatchAsync([twice, fresh, assigned], CancellationToken.None);

        Guid[] tasks = [Task(applied), Task(twice), Task(fresh), reassigned];
        foreach (var task in tasks)
        {
            Assert.Equal(1, await NotificationsStore.CountAsync(fixture, "notifications WHERE task_id = @id AND user_id = @user", ("id", task), ("user", user.Id)));
        }

        foreach (var item in new[] { applied, twice, fresh, updated, assigned })
        {
            Assert.Equal(1, await NotificationsStore.CountAsync(fixture, "processed_events WHERE event_id = @id", ("id", item.EventId)));
        }

        // The stream got each one once: the four, then the sentinel, nothing in between twice.
        var sentinel = Item(new TaskCreated(Guid.NewGuid(), owner.Id, user.Id, "Sentinel", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        await handler.HandleBatchAsync([sentinel], CancellationToken.None);
        var pushed = await ReadUntilAsync(stream, Task(sentinel));
        Assert.Equal([.. tasks.Append(Task(sentinel)).Order()], pushed.Order());
    }

    [Fact]
    public async Task A_batch_whose_statement_fails_applies_none_of_its_events_and_each_good_one_applies_alone_afterwards()
    {
        using var users = PlainClients.Create(fixture, "users");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var inserts = await InsertsAsync();
        var handler = new TaskNotificationHandler(inserts, TimeProvider.System, NullLogger<TaskNotificationHandler>.Instance);

        var good = Item(new TaskCreated(Guid.NewGuid(), owner.Id, null, "Good", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        // Longer than the message column: the schema would refuse it on the wire, so this stands for any poison row.
        var poison = Item(new TaskCreated(Guid.NewGuid(), owner.Id, null, new string('x', 600), "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        var failure = await Assert.ThrowsAsync<PostgresException>(() => handler.HandleBatchAsync([good, poison], CancellationToken.None));
        // A handler failure, not a store outage: the consumer counts it as an attempt of the event.
        Assert.False(StoreOutage.IsTransientDatabaseFailure(failure));
        Assert.Equal(0, await NotificationsStore.CountAsync(fixture, "processed_events WHERE event_id = ANY(@ids)", ("ids", new[] { good.EventId, poison.EventId })));
        Assert.Equal(0, await NotificationsStore.CountAsync(fixture, "notifications WHERE task_id = @id", ("id", Task(good))));

        await handler.HandleBatchAsync([good], CancellationToken.None);
        Assert.Equal(1, await NotificationsStore.CountAsync(fixture, "notifications WHERE task_id = @id", ("id", Task(good))));
    }

    [Fact]
    public async Task A_burst_through_the_broker_with_duplicates_and_a_redelivery_reaches_inbox_and_stream_once_per_event()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var user = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var stream = await EventStream.OpenAsync(notifier, user.AccessToken);
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        var first = new TaskCreated(Guid.NewGuid(), owner.Id, user.Id, "First", "todo", owner.Id, 1, DateTimeOffset.UtcNow);
        var firstId = Guid.CreateVersion7();
        await broker.PublishAsync(first, firstId);
        Assert.Equal(first.TaskId, (await stream.NextAsync(Wait)).TaskId);

        // 40 events back to back (each of the first ten twice) and the first one again: the replicas take them in batches.
        var burst = Enumerable.Range(0, 40).Select(i => (Id: Guid.CreateVersion7(), Event: new TaskCreated(Guid.NewGuid(), owner.Id, user.Id, $"Burst {i}", "todo", owner.Id, 1, DateTimeOffset.UtcNow))).ToList();
        await broker.PublishAsync(first, firstId);
        foreach (var (id, evt) in burst)
        {
            await broker.PublishAsync(evt, id);
        }

        foreach (var (id, evt) in burst.Take(10))
        {
            await broker.PublishAsync(evt, id);
        }

        var sentinel = new TaskCreated(Guid.NewGuid(), owner.Id, user.Id, "Sentinel", "todo", owner.Id, 1, DateTimeOffset.UtcNow);
        var pushed = new List<Guid>();
        var expected = burst.Select(b => b.Event.TaskId).ToHashSet();
        while (!expected.IsSubsetOf(pushed))
        {
            pushed.Add((await stream.NextAsync(Wait)).TaskId);
        }

        await broker.PublishAsync(sentinel);
        pushed.AddRange(await ReadUntilAsync(stream, sentinel.TaskId));

        Assert.Equal(expected.Count + 1, pushed.Count);
        Assert.DoesNotContain(first.TaskId, pushed);
        Assert.Equal(1, await NotificationsStore.CountAsync(fixture, "notifications WHERE event_id = @id", ("id", firstId)));
        var ids = burst.Select(b => b.Id).ToArray();
        Assert.Equal(ids.Length, await NotificationsStore.CountAsync(fixture, "notifications WHERE event_id = ANY(@ids)", ("ids", ids)));
        Assert.Equal(ids.Length, await NotificationsStore.CountAsync(fixture, "processed_events WHERE event_id = ANY(@ids)", ("ids", ids)));
    }

    private static IntegrationEventBatchItem Item(IIntegrationEvent data) => new(
        Guid.CreateVersion7(), IntegrationEventRegistry.Get(data.GetType()).EventType, "/taskflow/tests", "tests", DateTimeOffset.UtcNow, data, 1, null);

    private static Guid Task(IntegrationEventBatchItem item) => item.Data switch
    {
        TaskCreated e => e.TaskId,
        _ => throw new InvalidOperationException("not a task.created"),
    };

    private static async Task<List<Guid>> ReadUntilAsync(EventStream stream, Guid sentinel)
    {
        var pushed = new List<Guid>();
        while (pushed.LastOrDefault() != sentinel)
        {
            pushed.Add((await stream.NextAsync(Wait)).TaskId);
        }

        return pushed;
    }

    private async Task<NotificationInserts> InsertsAsync() => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{TaskFlow.Notifier.NotifierResources.Database}"] = await fixture.GetConnectionStringAsync("notificationsdb"),
        })
        .Build());
}
