namespace TaskFlow.Webhooks.Apis;

/// <summary>What the OpenAPI document says about the webhook routes beyond their types: descriptions and examples.</summary>
public static class WebhookDocs
{
    public const string ExampleWebhookId = "0193a1f2-5c3e-7b7a-9d41-2f4be8c61a10";
    public const string ExampleDeliveryId = "0193a1f2-6d80-7c1e-8a55-93e0c4b2f7d2";
    public const string ExampleCursor = "NjM4NjkwMDAwMDAwMDAwMDAwOjAxOTNhMWYyNWMzZTdiN2E5ZDQxMmY0YmU4YzYxYTEw";

    public const string CreateDescription =
        "Subscribes `url` to the given event types (`task.created`, `task.updated`, `task.assigned`, `task.deleted`, " +
        "`task.comment.added`) for the tasks the caller can see. The answer carries the signing `secret` " +
        "(`whsec_` + base64), shown only here. Each delivery is `POST url` with the CloudEvent as JSON and the Standard " +
        "Webhooks headers `webhook-id`, `webhook-timestamp`, `webhook-signature`. 400 for a URL that is not absolute " +
        "http(s), an unknown event type or no events, and (outside local mode) a host that resolves to a loopback, " +
        "private, link-local or metadata address. 409 when the caller already has the most webhooks a user may have (25 by default; delete one first).";

    public static readonly CreateWebhookBody CreateExample = new("https://hooks.example.com/taskflow", [EventTypes.TaskCreated, EventTypes.TaskAssigned], "CI board sync");

    /// <summary>The request body, for the document (the handler reads the JSON field by field).</summary>
    public sealed record CreateWebhookBody(string Url, IReadOnlyList<string> Events, string? Description);
}
