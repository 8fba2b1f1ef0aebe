namespace TaskFlow.Graph.Model;

/// <summary>One delivery of an event to a webhook, as <c>GET /webhooks/{id}/deliveries</c> lists it.</summary>
public sealed record WebhookDeliveryView(
    string Id,
    string EventId,
    string EventType,
    string Status,
    int Attempts,
    int? LastResponseStatus,
    DateTime CreatedAt,
    DateTime? LastAttemptAt);
