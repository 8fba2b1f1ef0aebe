namespace TaskFlow.Webhooks.Model;

/// <summary>
/// A user's subscription: where to POST which event types. The signing secret is stored only encrypted (ASP.NET Core
/// Data Protection); after a rotation the previous one keeps signing too until <see cref="PreviousSecretExpiresAt"/>.
/// </summary>
public sealed class WebhookSubscription
{
    public required Guid Id { get; init; }
    public required Guid OwnerId { get; init; }
    public required string Url { get; init; }

    /// <summary><c>host:port</c> of <see cref="Url"/>, lower case: the key of the per-destination concurrency bound.</summary>
    public required string Destination { get; init; }

    public required List<string> Events { get; init; }
    public string? Description { get; init; }
    public bool Enabled { get; set; } = true;

    /// <summary>Why the service disabled it (a 410 answer, 5 days of failures); null while enabled or never disabled.</summary>
    public string? DisabledReason { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required string ProtectedSecret { get; set; }
    public string? PreviousProtectedSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>Since when every attempt failed (cleared by a success); 5 days of it disables the subscription.</summary>
    public DateTimeOffset? FailingSince { get; set; }
}
