namespace TaskFlow.Messaging.Publishing;

/// <summary>
/// Publishes envelopes to the <c>taskflow.events</c> exchange with publisher confirms: a returned task means the
/// broker has taken responsibility for the message. The data is validated against its schema first; an invalid
/// event throws <see cref="InvalidIntegrationEventException"/> and is never sent.
/// Services normally do not call this directly: they stage events in an outbox and the relay publishes them.
/// </summary>
public interface IIntegrationEventPublisher
{
    Task PublishAsync(CloudEvent envelope, CancellationToken cancellationToken);

    Task PublishAsync<TEvent>(TEvent data, string subject, CancellationToken cancellationToken) where TEvent : class, IIntegrationEvent;
}
