using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Npgsql;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Notifications;
using TaskFlow.Tests.Users;
using TaskFlow.Webhooks.Infrastructure;
using TaskFlow.Webhooks.IntegrationEvents;
using TaskFlow.Webhooks.Model;
using static TaskFlow.Tests.Webhooks.WebhookTestSupport;

namespace TaskFlow.Tests.Webhooks;

/// <summary>
/// The Webhooks consumer's batch path with events published straight to the exchange (as the Tasks and Users relays
/// would, but with ids, times and duplicates chosen here), received by real receivers: exactly one delivery per event
/// and subscription however often an event arrives (back to back, so in one batch or on both replicas at once, and
/// again later), an admin's subscription sees every owner's events, and role changes apply by their rule.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class WebhookBatchTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task The_same_event_published_back_to_back_and_again_later_yields_exactly_one_delivery_per_subscription()
    {
        await using var created = await StartReceiverAsync(fixture);
        await using var both = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var createdOnly = await CreateAsync(gateway, owner.AccessToken, created.Url, "task.created");
        var createdAndUpdated = await CreateAsync(gateway, owner.AccessToken, both.Url, "task.created", "task.updated");
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        var taskId = Guid.NewGuid();
        var creation = (Id: Guid.NewGuid(), Data: new TaskCreated(taskId, owner.Id, null, "twice", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        var update = (Id: Guid.NewGuid(), Data: new TaskUpdated(taskId, owner.Id, null, null, "twice", "done", "todo", owner.Id, 2, DateTimeOffset.UtcNow));
        for (var i = 0; i < 4; i++)
        {
            await broker.PublishAsync(creation.Data, creation.Id);
        }

        await broker.PublishAsync(update.Data, update.Id);
        await broker.PublishAsync(update.Data, update.Id);
        await created.WaitForAsync(1);
        await both.WaitForAsync(2);

        // Redelivered after they were applied, then one new event behind them.
        await broker.PublishAsync(creation.Data, creation.Id);
        await broker.PublishAsync(update.Data, update.Id);
        var later = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(Guid.NewGuid(), owner.Id, null, "later", "todo", owner.Id, 1, DateTimeOffset.UtcNow), later);
        await created.WaitForAsync(2);
        await both.WaitForAsync(3);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // a duplicate applied twice would be posted by now

        Assert.Equal(new[] { creation.Id, later }.Order(), created.Received.Select(r => Guid.Parse(r.Id)).Order());
        Assert.Equal(new[] { creation.Id, update.Id, later }.Order(), both.Received.Select(r => Guid.Parse(r.Id)).Order());
        Assert.Equal(2, await CountDeliveriesAsync(createdOnly.Id));
        Assert.Equal(3, await CountDeliveriesAsync(createdAndUpdated.Id));
    }

    [Fact]
    public async Task Events_of_two_owners_back_to_back_reach_each_owner_and_both_reach_an_admins_subscription_but_not_a_stranger()
    {
        await using var adminReceiver = await StartReceiverAsync(fixture);
        await using var firstReceiver = await StartReceiverAsync(fixture);
        await using var secondReceiver = await StartReceiverAsync(fixture);
        await using var strangerReceiver = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var admin = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var first = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var second = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var stranger = await UsersApiClient.RegisterAndLoginAsync(gateway);
        await CreateAsync(gateway, admin.AccessToken, adminReceiver.Url, "task.created");
        await CreateAsync(gateway, first.AccessToken, firstReceiver.Url, "task.created");
        await CreateAsync(gateway, second.AccessToken, secondReceiver.Url, "task.created");
        await CreateAsync(gateway, stranger.AccessToken, strangerReceiver.Url, "task.created");
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        await broker.PublishAsync(new UserUpdated(admin.Id, admin.User.Email, admin.User.DisplayName, ["user", "admin"], DateTimeOffset.UtcNow));
        await WaitForAdminAsync(admin.Id, expected: true);

        var firstTask = Guid.NewGuid();
        var secondTask = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(firstTask, first.Id, null, "first", "todo", first.Id, 1, DateTimeOffset.UtcNow));
        await broker.PublishAsync(new TaskCreated(secondTask, second.Id, null, "second", "todo", second.Id, 1, DateTimeOffset.UtcNow));

        // Other tests' task.created events consumed meanwhile may reach the admin too: only these two are asserted.
        await WaitForTaskAsync(adminReceiver, firstTask);
        await WaitForTaskAsync(adminReceiver, secondTask);
        Assert.Equal(firstTask, TaskIdOf(Assert.Single(await firstReceiver.WaitForAsync(1))));
        Assert.Equal(secondTask, TaskIdOf(Assert.Single(await secondReceiver.WaitForAsync(1))));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(strangerReceiver.Received);
        await DemoteAsync(broker, admin);
    }

    [Fact]
    public async Task A_stale_role_change_keeps_an_admin_and_a_newer_one_removes_it_so_later_events_skip_the_ex_admin()
    {
        await using var adminReceiver = await StartReceiverAsync(fixture);
        await using var ownerReceiver = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var admin = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        await CreateAsync(gateway, admin.AccessToken, adminReceiver.Url, "task.created");
        await CreateAsync(gateway, owner.AccessToken, ownerReceiver.Url, "task.created");
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var madeAdminAt = DateTimeOffset.UtcNow;
        await broker.PublishAsync(new UserUpdated(admin.Id, admin.User.Email, admin.User.DisplayName, ["user", "admin"], madeAdminAt));
        await WaitForAdminAsync(admin.Id, expected: true);

        // An older event arriving late does not undo the newer promotion; the task event behind it reaches the admin.
        await broker.PublishAsync(new UserUpdated(admin.Id, admin.User.Email, admin.User.DisplayName, ["user"], madeAdminAt.AddMinutes(-1)));
        var seenByAdmin = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(seenByAdmin, owner.Id, null, "seen by the admin", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        await WaitForTaskAsync(adminReceiver, seenByAdmin);
        Assert.True(await IsAdminAsync(admin.Id));

        await broker.PublishAsync(new UserUpdated(admin.Id, admin.User.Email, admin.User.DisplayName, ["user"], madeAdminAt.AddSeconds(1)));
        await WaitForAdminAsync(admin.Id, expected: false);
        var notSeen = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(notSeen, owner.Id, null, "after the demotion", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        await ownerReceiver.WaitForAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(notSeen, adminReceiver.Received.Select(TaskIdOf));
    }

    [Fact]
    public async Task One_statement_batch_applies_a_promotion_before_the_task_event_beside_it_and_a_claimed_event_adds_nothing()
    {
        await using var adminReceiver = await StartReceiverAsync(fixture);
        await using var ownerReceiver = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var admin = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var adminHook = await CreateAsync(gateway, admin.AccessToken, adminReceiver.Url, "task.created");
        var ownerHook = await CreateAsync(gateway, owner.AccessToken, ownerReceiver.Url, "task.created");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{TaskFlow.Webhooks.WebhooksResources.Database}"] = await fixture.GetConnectionStringAsync(TaskFlow.Webhooks.WebhooksResources.Database),
        }).Build();
        await using var inserts = new DeliveryInserts(configuration);
        var now = DateTimeOffset.UtcNow;
        var promotion = new AdminRoleChange(Guid.NewGuid(), "user.updated", admin.Id, IsAdmin: true, now);
        var creation = new ScheduledTaskEvent(Guid.NewGuid(), "task.created", [owner.Id], """{"specversion":"1.0"}""");

        // Every delivery of the event (admins of other tests' users may hold subscriptions too), and one per hook here.
        var inserted = await inserts.ApplyAsync(TaskWebhookHandler.InboxName, now, [promotion], [creation], CancellationToken.None);
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE event_id = @id", creation.EventId), inserted);
        Assert.Equal(0, await inserts.ApplyAsync(TaskWebhookHandler.InboxName, now, [promotion], [creation], CancellationToken.None));
        Assert.True(await IsAdminAsync(admin.Id));
        foreach (var hook in new[] { adminHook, ownerHook })
        {
            var id = await ScalarAsync<Guid>($"SELECT id FROM webhook_deliveries WHERE subscription_id = @id AND event_id = '{creation.EventId}'", hook.Id);
            Assert.Equal(7, id.Version);
            var milliseconds = BinaryPrimitives.ReadInt64BigEndian([0, 0, .. id.ToByteArray(bigEndian: true).AsSpan(0, 6)]);
            Assert.Equal(now.ToUnixTimeMilliseconds(), milliseconds);
        }

        // Claimed before (by the per-message path of an older replica, say): nothing more.
        var claimed = new ScheduledTaskEvent(Guid.NewGuid(), "task.created", [owner.Id], """{"specversion":"1.0"}""");
        await ScalarAsync<int>(
            "INSERT INTO processed_events (event_id, handler, event_type, processed_at) VALUES (@id, 'webhooks', 'task.created', now()) RETURNING 1", claimed.EventId);
        Assert.Equal(0, await inserts.ApplyAsync(TaskWebhookHandler.InboxName, now, [], [claimed], CancellationToken.None));
        Assert.Equal(1, await CountDeliveriesAsync(ownerHook.Id));
        await adminReceiver.WaitForAsync(1);
        await ownerReceiver.WaitForAsync(1);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        await DemoteAsync(broker, admin);
    }

    /// <summary>Ends a test's admin, so later tests' events do not go to its (stopped) receiver.</summary>
    private async Task DemoteAsync(BrokerClient broker, UsersApiClient.SignedInUser admin)
    {
        await broker.PublishAsync(new UserUpdated(admin.Id, admin.User.Email, admin.User.DisplayName, ["user"], DateTimeOffset.UtcNow.AddMinutes(1)));
        await WaitForAdminAsync(admin.Id, expected: false);
    }

    /// <summary>Waits (10 s per further POST at most) until the receiver got the event of <paramref name="taskId"/>.</summary>
    private static async Task WaitForTaskAsync(WebhookReceiver receiver, Guid taskId)
    {
        for (var count = 1; !(await receiver.WaitForAsync(count)).Any(r => TaskIdOf(r) == taskId); count++)
        {
        }
    }

    private static Guid TaskIdOf(ReceivedWebhook received) =>
        Guid.Parse(received.CloudEvent.GetProperty("data").GetProperty("taskId").GetString() ?? "");

    private async Task WaitForAdminAsync(Guid userId, bool expected)
    {
        var clock = Stopwatch.StartNew();
        while (await IsAdminAsync(userId) != expected)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the Webhooks service never {(expected ? "added" : "removed")} admin {userId}");
            await Task.Delay(100);
        }
    }

    private async Task<bool> IsAdminAsync(Guid userId) =>
        await ScalarAsync<long>("SELECT count(*) FROM webhook_admins WHERE user_id = @id", userId) == 1;

    private Task<long> CountDeliveriesAsync(Guid subscriptionId) =>
        ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = @id", subscriptionId);

    private async Task<T> ScalarAsync<T>(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(TaskFlow.Webhooks.WebhooksResources.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return (T)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("No result."));
    }
}
