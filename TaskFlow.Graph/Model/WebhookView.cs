namespace TaskFlow.Graph.Model;

/// <summary>The <c>Webhook</c> of API.md "Webhooks": never its secret, which only the answer of its creation holds.</summary>
public sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, DateTime CreatedAt);
