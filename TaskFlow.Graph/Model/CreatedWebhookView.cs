namespace TaskFlow.Graph.Model;

/// <summary>The answer of <c>POST /webhooks</c>: the <c>Webhook</c> and, this once, its signing secret.</summary>
public sealed record CreatedWebhookView(
    string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, DateTime CreatedAt, string Secret)
{
    public WebhookView Webhook => new(Id, Url, Events, Description, Enabled, CreatedAt);
}
