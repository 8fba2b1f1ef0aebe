using System.Text.Json;
using TaskFlow.Gateway.GraphQL;
using TaskFlow.Graph.Infrastructure;
using TaskFlow.Graph.Model;

namespace TaskFlow.Tests.Graph;

/// <summary>
/// The webhooks part of the schema (API.md "Webhooks" through GraphQL) with the Graph service's real schema, executor
/// and HTTP handlers, the Webhooks service stubbed at the process edge: which REST call each field makes, what it
/// answers, and that no query can read a secret.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GraphWebhooksTests
{
    private const string HookId = "0193a0c0-0000-7000-a000-000000000001";
    private const string DeliveryId = "0193a0c0-0000-7000-b000-000000000001";
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static Dictionary<string, object?> HookJson(string id = HookId, bool withSecret = false)
    {
        var hook = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["url"] = "https://receiver.example.test/hooks",
            ["events"] = new[] { "task.created", "task.comment.added" },
            ["description"] = "CI bridge",
            ["enabled"] = true,
            ["createdAt"] = "2026-12-06T20:00:00Z",
        };
        if (withSecret)
        {
            hook["secret"] = Secret;
        }

        return hook;
    }

    private static object DeliveryJson(string status, int? lastResponseStatus) => new
    {
        id = DeliveryId,
        eventId = "0193a0c0-0000-7000-c000-000000000001",
        eventType = "task.created",
        status,
        attempts = 2,
        lastResponseStatus,
        createdAt = "2026-12-06T20:01:00Z",
        lastAttemptAt = "2026-12-06T20:01:09Z",
    };

    [Fact]
    public async Task Webhooks_lists_the_callers_webhooks_from_GET_webhooks_with_the_REST_cursor_and_each_last_delivery()
    {
        await using var host = new GraphUnitHost(request => request.RequestUri!.AbsolutePath switch
        {
            "/webhooks" => GraphUnitHost.Json(new { items = new[] { HookJson() }, nextCursor = "c2" }),
            $"/webhooks/{HookId}/deliveries" => GraphUnitHost.Json(new { items = new[] { DeliveryJson("failed", 503) }, nextCursor = (string?)null }),
            _ => GraphUnitHost.Problem(HttpStatusCode.NotFound, "Not Found"),
        });

        var answer = await host.PostQueryAsync("""
            { webhooks(first: 5, after: "c1") {
                nodes { id url events description enabled createdAt
                        deliveries(first: 1) { nodes { id eventId eventType status attempts lastResponseStatus lastAttemptAt } } }
                pageInfo { hasNextPage endCursor } } }
            """);

        Assert.Empty(answer.ErrorCodes);
        Assert.Equal(["GET /webhooks?limit=5&cursor=c1", $"GET /webhooks/{HookId}/deliveries?limit=1"], host.Calls);
        var connection = answer.Data.GetProperty("webhooks");
        var hook = connection.GetProperty("nodes")[0];
        Assert.Equal(HookId, hook.GetProperty("id").GetString());
        Assert.Equal("https://receiver.example.test/hooks", hook.GetProperty("url").GetString());
        Assert.Equal(["task.created", "task.comment.added"], hook.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CI bridge", hook.GetProperty("description").GetString());
        Assert.True(hook.GetProperty("enabled").GetBoolean());
        var delivery = hook.GetProperty("deliveries").GetProperty("nodes")[0];
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(503, delivery.GetProperty("lastResponseStatus").GetInt32());
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal("task.created", delivery.GetProperty("eventType").GetString());
        Assert.True(connection.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal("c2", connection.GetProperty("pageInfo").GetProperty("endCursor").GetString());
    }

    [Fact]
    public async Task No_query_can_read_a_secret_even_when_the_service_answer_held_one()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(HookJson(withSecret: true)));

        var answer = await host.PostQueryAsync($"{{ webhook(id: \"{HookId}\") {{ id secret }} }}");

        Assert.Equal(400, answer.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], answer.ErrorCodes);
        Assert.Empty(host.Calls);
        Assert.DoesNotContain("secret:", host.Schema().Split("type Webhook {")[1].Split('}')[0], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWebhook_posts_the_input_as_given_and_its_payload_is_the_only_place_the_secret_appears()
    {
        string? body = null;
        await using var host = new GraphUnitHost(request =>
        {
            body = request.Content?.ReadAsStringAsync().GetAwaiter().GetResult();
            return GraphUnitHost.Json(HookJson(withSecret: true), HttpStatusCode.Created);
        });

        var answer = await host.PostQueryAsync(
            "mutation($input: WebhookInput!) { createWebhook(input: $input) { secret webhook { id url events enabled } } }",
            new { input = new { url = "https://receiver.example.test/hooks", events = new[] { "task.created", "task.comment.added" } } });

        Assert.Empty(answer.ErrorCodes);
        Assert.Equal(["POST /webhooks"], host.Calls);
        using (var sent = JsonDocument.Parse(body ?? "{}"))
        {
            Assert.Equal("https://receiver.example.test/hooks", sent.RootElement.GetProperty("url").GetString());
            Assert.Equal(["task.created", "task.comment.added"], sent.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
            Assert.False(sent.RootElement.TryGetProperty("description", out _), "a field the client left out is not sent");
        }

        var created = answer.Data.GetProperty("createWebhook");
        Assert.Equal(Secret, created.GetProperty("secret").GetString());
        Assert.Equal(HookId, created.GetProperty("webhook").GetProperty("id").GetString());
        Assert.True(created.GetProperty("webhook").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_refused_webhook_input_is_BAD_USER_INPUT_with_the_services_field_messages()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Problem(HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            errors: new { url = new[] { "The URL must be absolute http or https." }, events = new[] { "Unknown event type: task.exploded." } }));

        var answer = await host.PostQueryAsync(
            "mutation { createWebhook(input: {url: \"ftp://x\", events: [\"task.exploded\"]}) { secret } }");

        Assert.Equal([GraphErrorCodes.BadUserInput], answer.ErrorCodes);
        var error = answer.Json.GetProperty("errors")[0];
        Assert.Contains("The URL must be absolute http or https.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var fields = error.GetProperty("extensions").GetProperty("fields");
        Assert.Equal("Unknown event type: task.exploded.", fields.GetProperty("events")[0].GetString());
        Assert.Equal(JsonValueKind.Null, answer.Data.ValueKind);
    }

    [Fact]
    public async Task Someone_elses_webhook_is_null_with_NOT_FOUND_and_deleting_it_is_NOT_FOUND()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Problem(HttpStatusCode.NotFound, "Not Found", "No such webhook."));

        var read = await host.PostQueryAsync($"{{ webhook(id: \"{HookId}\") {{ id url }} }}");
        Assert.Equal([GraphErrorCodes.NotFound], read.ErrorCodes);
        Assert.Equal(JsonValueKind.Null, read.Data.GetProperty("webhook").ValueKind);

        var delete = await host.PostQueryAsync($"mutation {{ deleteWebhook(id: \"{HookId}\") }}");
        Assert.Equal([GraphErrorCodes.NotFound], delete.ErrorCodes);
        Assert.Equal([$"GET /webhooks/{HookId}", $"DELETE /webhooks/{HookId}"], host.Calls);
    }

    [Fact]
    public async Task Delete_rotate_and_redeliver_call_their_REST_routes_with_escaped_ids()
    {
        await using var host = new GraphUnitHost(request => request.RequestUri!.AbsolutePath switch
        {
            var path when path.EndsWith("/rotate-secret", StringComparison.Ordinal) => GraphUnitHost.Json(new { secret = Secret }),
            var path when path.EndsWith("/redeliver", StringComparison.Ordinal) => new HttpResponseMessage(HttpStatusCode.Accepted),
            _ => new HttpResponseMessage(HttpStatusCode.NoContent),
        });

        var answer = await host.PostQueryAsync($$"""
            mutation {
              rotateWebhookSecret(id: "{{HookId}}")
              redeliverWebhookDelivery(webhookId: "{{HookId}}", deliveryId: "{{DeliveryId}}")
              deleteWebhook(id: "a/../b")
            }
            """);

        Assert.Empty(answer.ErrorCodes);
        Assert.Equal(Secret, answer.Data.GetProperty("rotateWebhookSecret").GetString());
        Assert.True(answer.Data.GetProperty("redeliverWebhookDelivery").GetBoolean());
        Assert.True(answer.Data.GetProperty("deleteWebhook").GetBoolean());
        Assert.Equal(
            [$"POST /webhooks/{HookId}/rotate-secret", $"POST /webhooks/{HookId}/deliveries/{DeliveryId}/redeliver", "DELETE /webhooks/a%2F..%2Fb"],
            host.Calls);
    }

    [Fact]
    public async Task Webhook_mutations_spend_the_gateways_permits_and_the_gateway_counts_each_of_them()
    {
        await using var host = new GraphUnitHost(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        const string Mutation = """
            mutation {
              a: deleteWebhook(id: "1")
              b: createWebhook(input: {url: "https://x.example.test", events: ["task.created"]}) { secret }
              c: rotateWebhookSecret(id: "1")
              d: redeliverWebhookDelivery(webhookId: "1", deliveryId: "2")
            }
            """;
        var headers = new Dictionary<string, string> { [MutationPermits.GrantedHeader] = "1", [MutationPermits.RetryAfterHeader] = "4" };

        var answer = await host.PostQueryAsync(Mutation, headers: headers);

        Assert.Equal(4, GraphQLMutationFields.Count(Mutation, operationName: null));
        Assert.Equal(["DELETE /webhooks/1"], host.Calls);
        Assert.Equal([GraphErrorCodes.RateLimited], answer.ErrorCodes.Distinct());
    }

    [Fact]
    public async Task The_deliveries_of_a_page_of_webhooks_count_one_call_per_webhook_against_the_budget()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { items = Array.Empty<object>(), nextCursor = (string?)null }));

        var over = await host.PostQueryAsync(
            "{ a: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } b: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } "
            + "c: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } d: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } "
            + "e: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } f: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } "
            + "g: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } h: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } "
            + "i: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } j: webhooks(first: 100) { nodes { deliveries(first: 1) { nodes { id } } } } }");

        Assert.Equal(400, over.Status);
        Assert.Contains("1010 calls", over.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Calls);
    }
}
