namespace TaskFlow.Messaging.Consuming;

/// <summary>
/// One event of a batch as a batch handler sees it: envelope attributes, the typed, schema-valid data, the attempt
/// (1 for the first) and the W3C traceparent of its own <c>process</c> span, so work done for this event can join
/// its trace although the batch shares one scope.
/// </summary>
public sealed record IntegrationEventBatchItem(
    Guid EventId,
    string EventType,
    string Source,
    string? Subject,
    DateTimeOffset Time,
    IIntegrationEvent Data,
    int Attempt,
    string? TraceParent);
