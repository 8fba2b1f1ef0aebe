namespace TaskFlow.Messaging.Consuming;

/// <summary>
/// Handles one event type for a consumer. Resolved from a fresh DI scope per message. The message is acknowledged
/// only after <see cref="HandleAsync"/> returns, so the handler's own write must be committed by then; if it throws,
/// the message is retried with back-off and dead-lettered after the last attempt. Make the effect idempotent by
/// event id (see <c>DbContext.ProcessOnceAsync</c> for EF Core).
/// </summary>
public interface IIntegrationEventHandler<TEvent> where TEvent : class, IIntegrationEvent
{
    Task HandleAsync(IntegrationEventContext<TEvent> context, CancellationToken cancellationToken);
}
