namespace TaskFlow.Graph.Model;

/// <summary>The answer of <c>POST /webhooks/{id}/rotate-secret</c>: the new secret.</summary>
public sealed record WebhookSecret(string Secret);
