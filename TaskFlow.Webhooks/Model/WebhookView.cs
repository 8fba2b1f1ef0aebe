namespace TaskFlow.Webhooks.Model;

/// <summary>API.md <c>Webhook</c>: <c>{id, url, events, description, enabled, createdAt}</c>.</summary>
public sealed record WebhookView(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, DateTimeOffset CreatedAt)
{
    public static WebhookView From(WebhookSubscription s) => new(s.Id, s.Url, s.Events, s.Description, s.Enabled, s.CreatedAt);
}
