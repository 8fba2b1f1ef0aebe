namespace TaskFlow.Messaging.Consuming;

/// <summary>An incoming event as a handler sees it: envelope attributes plus the typed, schema-valid data.</summary>
public sealed record IntegrationEventContext<TEvent>(
    Guid EventId,
    string EventType,
    string Source,
    string? Subject,
    DateTimeOffset Time,
    TEvent Data,
    int Attempt) where TEvent : class, IIntegrationEvent;
