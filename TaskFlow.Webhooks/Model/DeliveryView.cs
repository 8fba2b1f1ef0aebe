namespace TaskFlow.Webhooks.Model;

/// <summary>API.md delivery: <c>{id, eventId, eventType, status, attempts, lastResponseStatus, createdAt, lastAttemptAt}</c>.</summary>
public sealed record DeliveryView(
    Guid Id, Guid EventId, string EventType, string Status, int Attempts, int? LastResponseStatus, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt)
{
    public static DeliveryView From(WebhookDelivery d) =>
        new(d.Id, d.EventId, d.EventType, d.Status, d.Attempts, d.LastResponseStatus, d.CreatedAt, d.LastAttemptAt);
}
