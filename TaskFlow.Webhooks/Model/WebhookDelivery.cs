namespace TaskFlow.Webhooks.Model;

/// <summary>
/// One event for one subscription: created pending by the consumer (once per event and subscription), then attempted
/// by the delivery worker until it succeeds or runs out of attempts. Every attempt sends the same body and the same
/// <c>webhook-id</c> (<see cref="EventId"/>).
/// </summary>
public sealed class WebhookDelivery
{
    public required Guid Id { get; init; }
    public required Guid SubscriptionId { get; init; }
    public required Guid EventId { get; init; }
    public required string EventType { get; init; }

    /// <summary>The CloudEvent in structured JSON: exactly the bytes every attempt sends and signs.</summary>
    public required string Body { get; init; }

    public required string Status { get; set; }
    public int Attempts { get; set; }
    public int? LastResponseStatus { get; set; }

    /// <summary>What went wrong on the last attempt when there was no HTTP answer (timeout, refused address, ...).</summary>
    public string? LastError { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>When the next attempt is due; null once the delivery has succeeded or failed for good.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>A worker's claim: until then no other worker (on any replica) takes the row.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
}
