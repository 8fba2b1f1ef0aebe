namespace TaskFlow.Messaging.Consuming;

/// <summary>
/// Handles several events of one consumer at once: opt-in per consumer, through
/// <c>IntegrationEventConsumerBuilder.AddBatchHandler&lt;TEvent, THandler&gt;()</c> (a consumer's handlers are either
/// all per-message or all batch handlers). Resolved from a fresh DI scope per batch. All or nothing: commit the effect
/// of every event in <paramref name="batch"/>, or throw and commit none. The consumer acks the batch with one
/// <c>multiple</c> ack after this returns. When it throws, the consumer handles the batch's events again one at a time
/// (a batch of one each), so a poison event fails alone and takes the usual retry and dead-letter path while the rest
/// are applied. The same event can arrive twice (redelivery, or twice in one batch): make the effect idempotent by
/// event id.
/// </summary>
public interface IIntegrationEventBatchHandler
{
    Task HandleBatchAsync(IReadOnlyList<IntegrationEventBatchItem> batch, CancellationToken cancellationToken);
}
