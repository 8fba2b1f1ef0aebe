namespace TaskFlow.Webhooks.Delivery;

/// <summary>A due delivery a worker holds the lease of, with what an attempt needs from its subscription.</summary>
public sealed record ClaimedDelivery(
    Guid Id,
    Guid SubscriptionId,
    Guid OwnerId,
    Guid EventId,
    string Body,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset LeaseUntil,
    string Url,
    string Destination,
    string ProtectedSecret,
    string? PreviousProtectedSecret,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? FailingSince);
