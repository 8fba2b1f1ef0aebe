using System.Text.Json;
using TaskFlow.Graph.Model;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Graph;

/// <summary>
/// Webhooks through GraphQL at the gateway, against the real Webhooks service (API.md "Webhooks"): the secret only in
/// createWebhook's answer, the owner's visibility, the service's validation, deliveries and redeliver.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GraphQLWebhooksTests(TaskFlowAppFixture fixture) : IDisposable
{
    private const string Create =
        "mutation($input: WebhookInput!) { createWebhook(input: $input) { secret webhook { id url events description enabled createdAt } } }";

    private const string HookFields = "id url events description enabled";

    private readonly HttpClient _gateway = fixture.CreateGatewayClient();

    public void Dispose() => _gateway.Dispose();

    private GraphQLTestClient Graph => new(fixture, _gateway);

    /// <summary>A loopback URL nothing listens on (local mode allows loopback): deliveries fail fast and are retried.</summary>
    private static string DeadReceiver() => $"http://127.0.0.1:9/hooks/{Guid.NewGuid():N}";

    private async Task<(string Id, string Secret)> CreateAsync(string token, string url, params string[] events)
    {
        var created = await Graph.PostAsync(token, Create, new { input = new { url, events, description = "GraphQL test" } });
        created.AssertNoErrors();
        var payload = created.Data.GetProperty("createWebhook");
        return (payload.GetProperty("webhook").GetProperty("id").GetString() ?? "", payload.GetProperty("secret").GetString() ?? "");
    }

    [Fact]
    public async Task A_webhook_created_through_GraphQL_is_listed_without_its_secret_and_deleted()
    {
        var ada = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var url = DeadReceiver();

        var created = await Graph.PostAsync(ada.AccessToken, Create,
            new { input = new { url, events = new[] { "task.created", "task.comment.added" }, description = "CI bridge" } });

        created.AssertNoErrors();
        var payload = created.Data.GetProperty("createWebhook");
        var secret = payload.GetProperty("secret").GetString() ?? "";
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24, "the secret holds at least 24 random bytes");
        var hook = payload.GetProperty("webhook");
        var id = hook.GetProperty("id").GetString();
        Assert.Equal(url, hook.GetProperty("url").GetString());
        Assert.Equal(["task.created", "task.comment.added"], hook.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CI bridge", hook.GetProperty("description").GetString());
        Assert.True(hook.GetProperty("enabled").GetBoolean());

        var listed = await Graph.PostAsync(ada.AccessToken,
            $"query($id: ID!) {{ webhooks {{ nodes {{ {HookFields} deliveries(first: 1) {{ nodes {{ id }} }} }} }} webhook(id: $id) {{ {HookFields} }} }}", new { id });
        listed.AssertNoErrors();
        var nodes = listed.Data.GetProperty("webhooks").GetProperty("nodes").EnumerateArray().ToList();
        var node = Assert.Single(nodes);
        Assert.Equal(id, node.GetProperty("id").GetString());
        Assert.Empty(node.GetProperty("deliveries").GetProperty("nodes").EnumerateArray());
        Assert.Equal(url, listed.Data.GetProperty("webhook").GetProperty("url").GetString());
        Assert.DoesNotContain(secret, listed.Json.GetRawText(), StringComparison.Ordinal);

        var deleted = await Graph.PostAsync(ada.AccessToken, "mutation($id: ID!) { deleteWebhook(id: $id) }", new { id });
        deleted.AssertNoErrors();
        Assert.True(deleted.Data.GetProperty("deleteWebhook").GetBoolean());

        var gone = await Graph.PostAsync(ada.AccessToken, $"query($id: ID!) {{ webhooks {{ nodes {{ id }} }} webhook(id: $id) {{ id }} }}", new { id });
        Assert.Equal([GraphErrorCodes.NotFound], gone.ErrorCodes);
        Assert.Equal(JsonValueKind.Null, gone.Data.GetProperty("webhook").ValueKind);
        Assert.Empty(gone.Data.GetProperty("webhooks").GetProperty("nodes").EnumerateArray());
    }

    [Fact]
    public async Task Another_user_can_neither_see_nor_delete_a_webhook()
    {
        var ada = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var bob = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var (id, _) = await CreateAsync(ada.AccessToken, DeadReceiver(), "task.created");

        var seen = await Graph.PostAsync(bob.AccessToken, "query($id: ID!) { webhook(id: $id) { id url } webhooks { nodes { id } } }", new { id });
        Assert.Equal([GraphErrorCodes.NotFound], seen.ErrorCodes);
        Assert.Equal(JsonValueKind.Null, seen.Data.GetProperty("webhook").ValueKind);
        Assert.Empty(seen.Data.GetProperty("webhooks").GetProperty("nodes").EnumerateArray());

        var deleted = await Graph.PostAsync(bob.AccessToken, "mutation($id: ID!) { deleteWebhook(id: $id) }", new { id });
        Assert.Equal([GraphErrorCodes.NotFound], deleted.ErrorCodes);
        var rotated = await Graph.PostAsync(bob.AccessToken, "mutation($id: ID!) { rotateWebhookSecret(id: $id) }", new { id });
        Assert.Equal([GraphErrorCodes.NotFound], rotated.ErrorCodes);

        var still = await Graph.PostAsync(ada.AccessToken, "query($id: ID!) { webhook(id: $id) { id } }", new { id });
        still.AssertNoErrors();
        Assert.Equal(id, still.Data.GetProperty("webhook").GetProperty("id").GetString());
        (await Graph.PostAsync(ada.AccessToken, "mutation($id: ID!) { deleteWebhook(id: $id) }", new { id })).AssertNoErrors();
    }

    [Fact]
    public async Task The_services_refusals_of_a_webhook_input_are_BAD_USER_INPUT()
    {
        var ada = await UsersApiClient.RegisterAndLoginAsync(_gateway);

        foreach (var input in new object[]
                 {
                     new { url = "ftp://files.example.test/in", events = new[] { "task.created" } },
                     new { url = "/relative/path", events = new[] { "task.created" } },
                     new { url = DeadReceiver(), events = new[] { "task.exploded" } },
                     new { url = DeadReceiver(), events = Array.Empty<string>() },
                 })
        {
            var refused = await Graph.PostAsync(ada.AccessToken, Create, new { input });
            Assert.True(refused.ErrorCodes.SequenceEqual([GraphErrorCodes.BadUserInput]), $"{JsonSerializer.Serialize(input)}: {refused.Json}");
        }

        var none = await Graph.PostAsync(ada.AccessToken, "{ webhooks { nodes { id } } }");
        none.AssertNoErrors();
        Assert.Empty(none.Data.GetProperty("webhooks").GetProperty("nodes").EnumerateArray());
    }

    [Fact]
    public async Task A_delivery_of_a_task_event_is_listed_under_its_webhook_and_redelivered()
    {
        var ada = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var (id, _) = await CreateAsync(ada.AccessToken, DeadReceiver(), "task.created");
        (await Graph.PostAsync(ada.AccessToken, "mutation { createTask(input: {title: \"Deliver me\"}) { id } }")).AssertNoErrors();

        const string Deliveries = "query($id: ID!) { webhook(id: $id) { deliveries(first: 5) { nodes { id eventId eventType status attempts createdAt } } } }";
        JsonElement? delivery = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (delivery is null && DateTime.UtcNow < deadline)
        {
            var answer = await Graph.PostAsync(ada.AccessToken, Deliveries, new { id });
            answer.AssertNoErrors();
            var nodes = answer.Data.GetProperty("webhook").GetProperty("deliveries").GetProperty("nodes");
            delivery = nodes.GetArrayLength() > 0 ? nodes[0].Clone() : null;
            if (delivery is null)
            {
                await Task.Delay(250);
            }
        }

        Assert.True(delivery.HasValue, "the task.created event was never listed as a delivery");
        Assert.Equal("task.created", delivery.Value.GetProperty("eventType").GetString());
        Assert.Contains(delivery.Value.GetProperty("status").GetString(), new[] { "pending", "failed" });

        var redelivered = await Graph.PostAsync(ada.AccessToken,
            "mutation($id: ID!, $delivery: ID!) { redeliverWebhookDelivery(webhookId: $id, deliveryId: $delivery) }",
            new { id, delivery = delivery.Value.GetProperty("id").GetString() });
        redelivered.AssertNoErrors();
        Assert.True(redelivered.Data.GetProperty("redeliverWebhookDelivery").GetBoolean());

        var unknown = await Graph.PostAsync(ada.AccessToken,
            "mutation($id: ID!) { redeliverWebhookDelivery(webhookId: $id, deliveryId: \"0193a0c0-0000-7000-8000-00000000dead\") }", new { id });
        Assert.Equal([GraphErrorCodes.NotFound], unknown.ErrorCodes);
        (await Graph.PostAsync(ada.AccessToken, "mutation($id: ID!) { deleteWebhook(id: $id) }", new { id })).AssertNoErrors();
    }
}
