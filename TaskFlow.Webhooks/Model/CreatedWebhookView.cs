namespace TaskFlow.Webhooks.Model;

/// <summary>The answer to <c>POST /webhooks</c>: the <c>Webhook</c> plus its secret, the only time it is shown.</summary>
public sealed record CreatedWebhookView(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, DateTimeOffset CreatedAt, string Secret);
