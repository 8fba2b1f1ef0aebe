using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Tasks;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Webhooks.WebhookTestSupport;

namespace TaskFlow.Tests.Webhooks;

/// <summary>
/// Deliveries end to end: tasks changed through the gateway, the Tasks outbox, RabbitMQ, the Webhooks service, and a
/// real receiver (Kestrel on a loopback port, allowed in local mode). The fixture shortens the retry delays to 1 s, 2 s.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class WebhookDeliveryTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task A_created_task_is_posted_as_a_CloudEvent_whose_signature_verifies_with_the_library_and_with_HMAC()
    {
        await using var receiver = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var webhook = await CreateAsync(gateway, owner.AccessToken, receiver.Url, "task.created");
        var secret = Assert.IsType<string>(webhook.Secret);

        var task = await tasks.CreateAsync(owner.AccessToken, new { title = "Ship the webhooks" });
        var received = Assert.Single(await receiver.WaitForAsync(1));

        VerifyWithLibrary(secret, received);
        Assert.Equal(Hmac(secret, received.Id, received.Timestamp, received.Body), received.Signature);
        Assert.Equal("application/json", received.ContentType);
        Assert.InRange(long.Parse(received.Timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var cloudEvent = received.CloudEvent;
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal(received.Id, cloudEvent.GetProperty("id").GetString());
        Assert.Equal("task.created", cloudEvent.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(cloudEvent.GetProperty("source").GetString()));
        Assert.True(cloudEvent.TryGetProperty("time", out _));
        Assert.Equal(task.Id, cloudEvent.GetProperty("data").GetProperty("taskId").GetString());

        var deliveries = await WaitForDeliveriesAsync(gateway, owner.AccessToken, webhook.Id, d => d.Length == 1 && d[0].Status == "succeeded");
        Assert.Equal(Guid.Parse(received.Id), deliveries[0].EventId);
        Assert.Equal("task.created", deliveries[0].EventType);
        Assert.Equal(1, deliveries[0].Attempts);
        Assert.Equal(204, deliveries[0].LastResponseStatus);
        Assert.NotNull(deliveries[0].LastAttemptAt);
    }

    [Fact]
    public async Task A_500_then_a_200_is_retried_with_the_same_webhook_id_and_succeeds_on_attempt_2()
    {
        await using var receiver = await StartReceiverAsync(fixture);
        receiver.Respond = (call, _) => Task.FromResult(call == 1 ? 500 : 200);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var webhook = await CreateAsync(gateway, owner.AccessToken, receiver.Url, "task.created");

        await tasks.CreateAsync(owner.AccessToken, new { title = "Flaky receiver" });
        var received = await receiver.WaitForAsync(2);

        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal(received[0].Body, received[1].Body);
        VerifyWithLibrary(Assert.IsType<string>(webhook.Secret), received[1]);
        var delivery = Assert.Single(await WaitForDeliveriesAsync(gateway, owner.AccessToken, webhook.Id, d => d.Length == 1 && d[0].Status == "succeeded"));
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(200, delivery.LastResponseStatus);
    }

    [Fact]
    public async Task Only_subscribed_types_reach_a_webhook_and_a_user_who_cannot_see_the_task_receives_nothing()
    {
        await using var ownerReceiver = await StartReceiverAsync(fixture);
        await using var assigneeReceiver = await StartReceiverAsync(fixture);
        await using var strangerReceiver = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var stranger = await UsersApiClient.RegisterAndLoginAsync(gateway);
        await CreateAsync(gateway, owner.AccessToken, ownerReceiver.Url, "task.created");
        await CreateAsync(gateway, assignee.AccessToken, assigneeReceiver.Url, "task.comment.added");
        var strangers = await CreateAsync(gateway, stranger.AccessToken, strangerReceiver.Url, "task.created", "task.updated", "task.assigned", "task.deleted", "task.comment.added");

        var task = await tasks.CreateAsync(owner.AccessToken, new { title = "Shared work", assigneeId = assignee.Id });
        using (var comment = await tasks.SendAsync(HttpMethod.Post, $"/tasks/{task.Id}/comments", owner.AccessToken, new { body = "Over to you" }))
        {
            Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        }

        var toOwner = Assert.Single(await ownerReceiver.WaitForAsync(1));
        var toAssignee = Assert.Single(await assigneeReceiver.WaitForAsync(1));
        Assert.Equal("task.created", toOwner.CloudEvent.GetProperty("type").GetString());
        Assert.Equal("task.comment.added", toAssignee.CloudEvent.GetProperty("type").GetString());
        Assert.Equal(task.Id, toAssignee.CloudEvent.GetProperty("data").GetProperty("taskId").GetString());

        // The comment came after the creation, so both events have been consumed; give the worker a moment more.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(ownerReceiver.Received);
        Assert.Single(assigneeReceiver.Received);
        Assert.Empty(strangerReceiver.Received);
        Assert.Empty((await GetAsync<PageDto<DeliveryDto>>(gateway, stranger.AccessToken, $"/webhooks/{strangers.Id}/deliveries")).Items);
    }

    [Fact]
    public async Task A_deleted_webhook_receives_nothing_more()
    {
        await using var deleted = await StartReceiverAsync(fixture);
        await using var kept = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var doomed = await CreateAsync(gateway, owner.AccessToken, deleted.Url, "task.created");
        await CreateAsync(gateway, owner.AccessToken, kept.Url, "task.created");
        await tasks.CreateAsync(owner.AccessToken, new { title = "Before the delete" });
        await deleted.WaitForAsync(1);
        await kept.WaitForAsync(1);

        using (var delete = await SendAsync(gateway, HttpMethod.Delete, $"/webhooks/{doomed.Id}", owner.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using (var gone = await SendAsync(gateway, HttpMethod.Get, $"/webhooks/{doomed.Id}", owner.AccessToken))
        {
            await UsersApiClient.AssertProblemAsync(gone, HttpStatusCode.NotFound);
        }

        await tasks.CreateAsync(owner.AccessToken, new { title = "After the delete" });
        await kept.WaitForAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(deleted.Received);
    }

    [Fact]
    public async Task Redeliver_answers_202_and_sends_the_same_webhook_id_and_body_again()
    {
        await using var receiver = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var webhook = await CreateAsync(gateway, owner.AccessToken, receiver.Url, "task.created");
        await tasks.CreateAsync(owner.AccessToken, new { title = "Replay me" });
        await receiver.WaitForAsync(1);
        var delivery = Assert.Single(await WaitForDeliveriesAsync(gateway, owner.AccessToken, webhook.Id, d => d.Length == 1 && d[0].Status == "succeeded"));

        using (var redeliver = await SendAsync(gateway, HttpMethod.Post, $"/webhooks/{webhook.Id}/deliveries/{delivery.Id}/redeliver", owner.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        }

        var received = await receiver.WaitForAsync(2);
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal(received[0].Body, received[1].Body);
        VerifyWithLibrary(Assert.IsType<string>(webhook.Secret), received[1]);
        using var unknown = await SendAsync(gateway, HttpMethod.Post, $"/webhooks/{webhook.Id}/deliveries/{Guid.NewGuid()}/redeliver", owner.AccessToken);
        await UsersApiClient.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task After_rotate_secret_deliveries_carry_two_signatures_new_and_old_and_both_verify()
    {
        await using var receiver = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var webhook = await CreateAsync(gateway, owner.AccessToken, receiver.Url, "task.created");
        var oldSecret = Assert.IsType<string>(webhook.Secret);

        using var rotate = await SendAsync(gateway, HttpMethod.Post, $"/webhooks/{webhook.Id}/rotate-secret", owner.AccessToken);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var newSecret = (await rotate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString() ?? "";
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, newSecret);

        await tasks.CreateAsync(owner.AccessToken, new { title = "Rotated" });
        var received = Assert.Single(await receiver.WaitForAsync(1));
        var signatures = received.Signature.Split(' ');
        Assert.Equal([Hmac(newSecret, received.Id, received.Timestamp, received.Body), Hmac(oldSecret, received.Id, received.Timestamp, received.Body)], signatures);
        VerifyWithLibrary(newSecret, received);
        // StandardWebhooks 1.1.2's verifier matches only the first signature of the header, so the old one is verified
        // by the library on its own (and above by HMAC within the header as sent).
        VerifyWithLibrary(oldSecret, received with { Signature = signatures[1] });
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => VerifyWithLibrary("whsec_" + Convert.ToBase64String(new byte[32]), received));
    }

    [Fact]
    public async Task A_410_answer_disables_the_webhook_at_once()
    {
        await using var receiver = await StartReceiverAsync(fixture);
        receiver.Respond = (_, _) => Task.FromResult(410);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var webhook = await CreateAsync(gateway, owner.AccessToken, receiver.Url, "task.created");

        await tasks.CreateAsync(owner.AccessToken, new { title = "Gone" });
        await receiver.WaitForAsync(1);
        var delivery = Assert.Single(await WaitForDeliveriesAsync(gateway, owner.AccessToken, webhook.Id, d => d.Length == 1 && d[0].Status == "failed"));
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(410, delivery.LastResponseStatus);
        Assert.False((await GetAsync<WebhookDto>(gateway, owner.AccessToken, $"/webhooks/{webhook.Id}")).Enabled);

        await tasks.CreateAsync(owner.AccessToken, new { title = "After gone" });
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task A_receiver_that_hangs_does_not_delay_a_second_subscriptions_deliveries()
    {
        const int count = 12;
        using var release = new CancellationTokenSource();
        await using var hanging = await StartReceiverAsync(fixture);
        hanging.Respond = async (_, aborted) =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(aborted, release.Token);
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return 200;
        };
        await using var healthy = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var hangingWebhook = await CreateAsync(gateway, owner.AccessToken, hanging.Url, "task.created");
        await CreateAsync(gateway, owner.AccessToken, healthy.Url, "task.created");

        try
        {
            var started = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                await tasks.CreateAsync(owner.AccessToken, new { title = $"Busy {i}" });
            }

            // More deliveries to the hanging receiver than its per-destination slots on both replicas (2 x 4): some wait.
            var received = await healthy.WaitForAsync(count, TimeSpan.FromSeconds(8));
            Assert.True(hanging.Received.Count >= 1, "the hanging receiver was never called");
            Assert.True(hanging.Received.Count <= 8, $"{hanging.Received.Count} attempts in flight to one destination");
            Assert.All(received, r => Assert.True(r.ReceivedAt - started < TimeSpan.FromSeconds(8)));
            var stuck = await GetAsync<PageDto<DeliveryDto>>(gateway, owner.AccessToken, $"/webhooks/{hangingWebhook.Id}/deliveries?limit=100");
            Assert.All(stuck.Items, d => Assert.NotEqual("succeeded", d.Status));
        }
        finally
        {
            await release.CancelAsync();
        }
    }

    [Fact]
    public async Task One_users_many_hanging_receivers_hold_only_that_users_slots_and_another_users_deliveries_go_through()
    {
        const int events = 10;
        using var release = new CancellationTokenSource();
        var hanging = new List<WebhookReceiver>();
        await using var healthy = await StartReceiverAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var tasks = new TasksTestClient(fixture, gateway);
        var attacker = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var bystander = await UsersApiClient.RegisterAndLoginAsync(gateway);
        try
        {
            // Three destinations (three ports of one host), each hanging: 3 x 10 deliveries, each destination allowed
            // 4 per replica, so 24 at once without an owner bound; 8 per owner per replica (16 on two replicas) with it.
            for (var i = 0; i < 3; i++)
            {
                var receiver = await StartReceiverAsync(fixture);
                hanging.Add(receiver);
                receiver.Respond = async (_, aborted) =>
                {
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(aborted, release.Token);
                    await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    return 200;
                };
                await CreateAsync(gateway, attacker.AccessToken, receiver.Url, "task.created");
            }

            await CreateAsync(gateway, bystander.AccessToken, healthy.Url, "task.created");
            var started = DateTimeOffset.UtcNow;
            for (var i = 0; i < events; i++)
            {
                await tasks.CreateAsync(attacker.AccessToken, new { title = $"Hang {i}" });
            }

            await tasks.CreateAsync(bystander.AccessToken, new { title = "Not delayed" });
            var received = Assert.Single(await healthy.WaitForAsync(1, TimeSpan.FromSeconds(8)));
            Assert.True(received.ReceivedAt - started < TimeSpan.FromSeconds(8));

            // Both replicas have claimed by now (each polls every second); attempts time out only after 10 s.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var inFlight = hanging.Sum(h => h.Received.Count);
            Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10), "the check came after the first attempts timed out");
            Assert.True(inFlight >= 8, $"only {inFlight} attempts reached the hanging receivers");
            Assert.True(inFlight <= 16, $"{inFlight} attempts in flight for one owner (at most 8 per replica)");
        }
        finally
        {
            await release.CancelAsync();
            foreach (var receiver in hanging)
            {
                await receiver.DisposeAsync();
            }
        }
    }
}
