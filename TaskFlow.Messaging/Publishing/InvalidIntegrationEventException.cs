namespace TaskFlow.Messaging.Publishing;

/// <summary>The event's data does not match its JSON Schema (a bug in the publisher, not a transient failure).</summary>
public sealed class InvalidIntegrationEventException(string eventType, string eventId, string reason)
    : Exception($"Event {eventId} of type '{eventType}' is invalid: {reason}")
{
    public string EventType { get; } = eventType;

    public string EventId { get; } = eventId;

    public string Reason { get; } = reason;
}
