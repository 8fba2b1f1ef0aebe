using System.Threading.Channels;
using RabbitMQ.Client.Events;

namespace TaskFlow.Messaging.Consuming;

/// <summary>
/// The batch path (a consumer with batch handlers): each delivery is copied into a buffer as it arrives (the broker's
/// prefetch bounds it), and one loop takes what is waiting, up to <see cref="IntegrationEventConsumerOptions.MaxBatchSize"/>,
/// hands it to the batch handlers in one DI scope and settles it: one <c>multiple</c> ack when they return. When they
/// throw, a store outage requeues the whole batch uncounted and pauses the loop; any other failure re-runs the events
/// one at a time, so only the failing one takes the retry path (and dead-letters after its attempts) while the others
/// are applied. One loop per channel keeps delivery tags settled in order, which is what makes <c>multiple</c> safe.
/// </summary>
internal sealed partial class IntegrationEventConsumer
{
    private ChannelWriter<PendingDelivery>? _pendingBatches;

    private Func<BasicDeliverEventArgs, Task> StartBatches(IChannel channel, CancellationToken stoppingToken)
    {
        // The loop lives as long as this channel object: automatic recovery reopens the same channel after a broker
        // outage (stale delivery tags from before are ignored by the client), so only a replaced channel ends it.
        var pending = Channel.CreateUnbounded<PendingDelivery>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _pendingBatches?.TryComplete();
        _pendingBatches = pending.Writer;
        _ = Task.Run(() => RunBatchesAsync(channel, pending.Reader, stoppingToken), CancellationToken.None);
        return delivery =>
        {
            // The body's memory is the client's only until this returns.
            pending.Writer.TryWrite(new PendingDelivery(delivery.DeliveryTag, delivery.BasicProperties, delivery.Body.ToArray()));
            return Task.CompletedTask;
        };
    }

    private async Task RunBatchesAsync(IChannel channel, ChannelReader<PendingDelivery> pending, CancellationToken stoppingToken)
    {
        var batch = new List<PendingDelivery>(options.MaxBatchSize);
        try
        {
            while (await pending.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < options.MaxBatchSize && pending.TryRead(out var delivery))
                {
                    batch.Add(delivery);
                }

                if (!await HandleBatchAsync(channel, batch, stoppingToken))
                {
                    // The store is away: what is buffered waits (unacknowledged) instead of failing at once.
                    await Task.Delay(options.OutageRetryDelay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: unacknowledged deliveries go back to the queue when the channel closes.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The channel failed under the loop: closing it returns its unacknowledged deliveries to the queue, and the
            // watchdog opens a new one.
            LogBatchLoopFailed(logger, options.QueueName, ex);
            await channel.CloseAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Handles and settles one batch; false when a store outage sent it back to the queue.</summary>
    private async Task<bool> HandleBatchAsync(IChannel channel, List<PendingDelivery> batch, CancellationToken cancellationToken)
    {
        var entries = new List<BatchEntry>(batch.Count);
        foreach (var delivery in batch)
        {
            if (IntegrationEventEnvelope.TryRead(delivery.Body, out var incoming, out var error))
            {
                entries.Add(new BatchEntry(delivery, incoming, AttemptOf(delivery.Properties) + 1));
                continue;
            }

            using var rejected = RabbitMQTelemetry.StartProcess(options.QueueName, delivery.Properties.Type, delivery.Properties.MessageId, default);
            rejected?.SetStatus(ActivityStatusCode.Error, "invalid message");
            LogInvalidMessage(logger, options.QueueName, delivery.Properties.MessageId ?? "", error);
            await DeadLetterAsync(channel, delivery.Tag, "invalid");
        }

        if (entries.Count == 0)
        {
            return true;
        }

        var failure = await InvokeAsync(entries, cancellationToken);
        if (failure is null)
        {
            await channel.BasicAckAsync(entries[^1].Delivery.Tag, multiple: true, CancellationToken.None);
            Consumed(entries);
            return true;
        }

        if (options.IsStoreOutage(failure))
        {
            LogStoreOutageRequeueingBatch(logger, options.QueueName, entries.Count, options.OutageRetryDelay, failure);
            await TryNackAsync(channel, entries[^1].Delivery.Tag, multiple: true, requeue: true);
            MessagingTelemetry.Retried.Add(entries.Count);
            return false;
        }

        if (entries.Count == 1)
        {
            await SettleFailureAsync(channel, entries[0], failure);
            return true;
        }

        // Which event failed? Each again on its own: the others are applied, the failing one alone counts an attempt.
        LogBatchFailedSplitting(logger, options.QueueName, entries.Count, failure);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var single = await InvokeAsync([entry], cancellationToken);
            if (single is null)
            {
                await channel.BasicAckAsync(entry.Delivery.Tag, multiple: false, CancellationToken.None);
                Consumed([entry]);
            }
            else if (options.IsStoreOutage(single))
            {
                LogStoreOutageRequeueingBatch(logger, options.QueueName, entries.Count - i, options.OutageRetryDelay, single);
                await TryNackAsync(channel, entries[^1].Delivery.Tag, multiple: true, requeue: true);
                MessagingTelemetry.Retried.Add(entries.Count - i);
                return false;
            }
            else
            {
                await SettleFailureAsync(channel, entry, single);
            }
        }

        return true;
    }

    /// <summary>Runs the batch handlers over <paramref name="entries"/> in one scope; the exception, or null when they all returned.</summary>
    private async Task<Exception?> InvokeAsync(IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        // One process span per event, each in its event's trace; the batch's own work joins the first one.
        var previous = Activity.Current;
        var spans = new Activity?[entries.Count];
        var groups = new Dictionary<string, (BatchHandlerInvoker Invoke, List<IntegrationEventBatchItem> Items)>(1, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var (_, incoming, attempt) = entries[i];
            var span = RabbitMQTelemetry.StartProcess(options.QueueName, incoming.EventType, incoming.EventId.ToString(), incoming.TraceContext);
            span?.SetTag("messaging.rabbitmq.message.attempt", attempt);
            span?.SetTag("messaging.batch.message_count", entries.Count);
            spans[i] = span;
            Activity.Current = previous;
            var item = new IntegrationEventBatchItem(
                incoming.EventId, incoming.EventType, incoming.Source, incoming.Subject, incoming.Time, incoming.Data, attempt, span?.Id);
            foreach (var (name, invoke) in handlers.BatchFor(incoming.EventType))
            {
                if (!groups.TryGetValue(name, out var group))
                {
                    groups[name] = group = (invoke, new List<IntegrationEventBatchItem>(entries.Count));
                }

                group.Items.Add(item);
            }
        }

        Activity.Current = spans[0] ?? previous;
        try
        {
            await using var scope = services.CreateAsyncScope();
            foreach (var (invoke, items) in groups.Values)
            {
                await invoke(scope.ServiceProvider, items, cancellationToken);
            }

            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var span in spans)
            {
                span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                span?.SetTag("error.type", ex.GetType().FullName);
            }

            return ex;
        }
        finally
        {
            foreach (var span in spans)
            {
                span?.Dispose();
            }

            Activity.Current = previous;
        }
    }

    private Task SettleFailureAsync(IChannel channel, BatchEntry entry, Exception failure) =>
        SettleFailureAsync(channel, entry.Delivery.Tag, entry.Delivery.Properties, entry.Delivery.Body, entry.Incoming, entry.Attempt, failure);

    private void Consumed(IReadOnlyList<BatchEntry> entries)
    {
        foreach (var entry in entries)
        {
            MessagingTelemetry.Consumed.Add(1, new KeyValuePair<string, object?>("event_type", entry.Incoming.EventType));
        }

        state.LastProcessedAt = DateTimeOffset.UtcNow;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} from {Queue} met a store outage; requeueing it in {Delay}, attempts not counted")]
    private static partial void LogStoreOutageRequeueingBatch(ILogger logger, string queue, int count, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} from {Queue} failed; handling its events one at a time")]
    private static partial void LogBatchFailedSplitting(ILogger logger, string queue, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The batch loop of {Queue} failed; reopening the channel")]
    private static partial void LogBatchLoopFailed(ILogger logger, string queue, Exception exception);

    /// <summary>A delivery copied out of the client's buffer (tag, properties, body).</summary>
    private sealed record PendingDelivery(ulong Tag, IReadOnlyBasicProperties Properties, byte[] Body);

    private sealed record BatchEntry(PendingDelivery Delivery, IncomingIntegrationEvent Incoming, int Attempt);
}
