using TaskFlow.Messaging.Envelope;

namespace TaskFlow.Messaging.Outbox.EfCore;

/// <summary>
/// One staged event in a service's PostgreSQL outbox table (<c>outbox_messages</c>), written in the same
/// SaveChanges/transaction as the state change it describes and published later by the outbox relay.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>The CloudEvent id.</summary>
    public required Guid Id { get; init; }

    public required string EventType { get; init; }

    public string? Subject { get; init; }

    /// <summary>The complete CloudEvents JSON envelope (data, trace context of the request that staged it).</summary>
    public required string Envelope { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Not before this time (back-off after a failed publish).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>Set when the event can never be published (it fails its schema): a bug to look at, not to retry.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>Builds the outbox row for an event; the envelope captures the current trace context.</summary>
    public static OutboxMessage From<TEvent>(TEvent data, string subject, string? source = null) where TEvent : class, IIntegrationEvent
    {
        var envelope = IntegrationEventEnvelope.Create(data, subject, source);
        var now = DateTimeOffset.UtcNow;
        return new OutboxMessage
        {
            Id = Guid.Parse(envelope.Id!),
            EventType = envelope.Type!,
            Subject = subject,
            Envelope = IntegrationEventEnvelope.EncodeToString(envelope),
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }
}
