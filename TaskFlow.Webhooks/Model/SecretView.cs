namespace TaskFlow.Webhooks.Model;

/// <summary>The answer to <c>POST /webhooks/{id}/rotate-secret</c>: the new secret.</summary>
public sealed record SecretView(string Secret);
