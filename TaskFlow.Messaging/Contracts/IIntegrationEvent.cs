namespace TaskFlow.Messaging.Contracts;

/// <summary>
/// Marker for an integration event: the <c>data</c> of a CloudEvent that crosses a service boundary.
/// Every implementation is listed in <see cref="IntegrationEventRegistry"/> with its event type and JSON Schema.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>When the change happened in the publishing service (UTC).</summary>
    DateTimeOffset OccurredAt { get; }
}
