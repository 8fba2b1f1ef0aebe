namespace TaskFlow.Messaging.Outbox.EfCore;

/// <summary>
/// Inbox row: the event <see cref="EventId"/> has had its effect through handler <see cref="Handler"/>. Written in the
/// same transaction as that effect, so a redelivered event is recognised and has no second effect.
/// </summary>
public sealed class ProcessedEvent
{
    public required Guid EventId { get; init; }

    public required string Handler { get; init; }

    public required string EventType { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }
}
