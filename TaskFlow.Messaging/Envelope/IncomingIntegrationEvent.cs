namespace TaskFlow.Messaging.Envelope;

/// <summary>A parsed, schema-valid incoming event.</summary>
public sealed record IncomingIntegrationEvent(Guid EventId, IntegrationEventDescriptor Descriptor, CloudEvent CloudEvent, IIntegrationEvent Data)
{
    public string EventType => Descriptor.EventType;

    public string? Subject => CloudEvent.Subject;

    public string Source => CloudEvent.Source?.ToString() ?? "";

    public DateTimeOffset Time => CloudEvent.Time ?? Data.OccurredAt;

    public ActivityContext TraceContext => IntegrationEventEnvelope.GetTraceContext(CloudEvent);
}
