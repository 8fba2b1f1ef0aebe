using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client.Events;

namespace TaskFlow.Messaging.Consuming;

/// <summary>
/// Consumes one durable queue. Per message: parse the CloudEvent and validate its data against the schema (anything
/// unparseable or invalid is rejected straight to the dead-letter queue); run the handlers in a fresh DI scope; ack
/// after they return (their writes are committed). A handler failure schedules another attempt through the retry
/// queue (per-message TTL back-off, attempt count in a header); after the last attempt the message is dead-lettered.
/// A failure that <see cref="IntegrationEventConsumerOptions.IsStoreOutage"/> calls a store outage is not an attempt:
/// the consumer pauses for <see cref="IntegrationEventConsumerOptions.OutageRetryDelay"/> and requeues the message with
/// its attempt count unchanged, so an outage of any length dead-letters nothing. With batch handlers (opt-in) the
/// consumer takes the prefetched deliveries in batches instead (<c>IntegrationEventConsumer.Batches.cs</c>).
/// The connection recovers by itself (RabbitMQ.Client automatic and topology recovery re-declare the queue, bindings
/// and consumer); a channel closed for another reason is reopened by a watchdog.
/// </summary>
internal sealed partial class IntegrationEventConsumer(
    IntegrationEventConsumerOptions options,
    HandlerTable handlers,
    IServiceProvider services,
    ConsumerState state,
    ILogger<IntegrationEventConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan WatchdogInterval = TimeSpan.FromSeconds(2);

    private IChannel? _channel;
    private IChannel? _retryChannel;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_channel is not { IsOpen: true } || _retryChannel is not { IsOpen: true })
                {
                    var connection = services.GetRequiredService<IConnection>();
                    if (connection.IsOpen)
                    {
                        await StartAsync(connection, stoppingToken);
                        failures = 0;
                    }
                }

                state.Consuming = _channel is { IsOpen: true };
                await Task.Delay(WatchdogInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                state.Consuming = false;
                failures++;
                LogStartFailed(logger, options.QueueName, ex);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures))), stoppingToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        state.Consuming = false;
        await CloseChannelsAsync();
    }

    private async Task StartAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await CloseChannelsAsync();
        _retryChannel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        // Batches are formed by one loop in delivery order, so deliveries are dispatched one at a time (a copy each).
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false,
                consumerDispatchConcurrency: handlers.Batched ? (ushort)1 : options.Concurrency),
            cancellationToken);
        var routingKeys = handlers.EventTypes.Concat(options.ExtraBindings).ToList();
        await MessagingTopology.DeclareConsumerQueueAsync(channel, options.QueueName, routingKeys, cancellationToken);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: options.PrefetchCount, global: false, cancellationToken);

        var consumer = new AsyncEventingBasicConsumer(channel);
        if (handlers.Batched)
        {
            var pending = StartBatches(channel, cancellationToken);
            consumer.ReceivedAsync += (_, delivery) => pending(delivery);
        }
        else
        {
            consumer.ReceivedAsync += (_, delivery) => OnReceivedAsync(channel, delivery);
        }

        await channel.BasicConsumeAsync(options.QueueName, autoAck: false, consumer, cancellationToken);
        _channel = channel;
        state.Consuming = true;
        LogConsuming(logger, options.QueueName, string.Join(", ", routingKeys));
    }

    private async Task OnReceivedAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        var attempt = AttemptOf(delivery.BasicProperties) + 1;
        var cancellationToken = delivery.CancellationToken;
        if (!IntegrationEventEnvelope.TryRead(delivery.Body, out var incoming, out var error))
        {
            using var rejected = RabbitMQTelemetry.StartProcess(options.QueueName, delivery.BasicProperties.Type, delivery.BasicProperties.MessageId, default);
            rejected?.SetStatus(ActivityStatusCode.Error, "invalid message");
            LogInvalidMessage(logger, options.QueueName, delivery.BasicProperties.MessageId ?? "", error);
            await DeadLetterAsync(channel, delivery.DeliveryTag, "invalid");
            return;
        }

        using var activity = RabbitMQTelemetry.StartProcess(options.QueueName, incoming.EventType, incoming.EventId.ToString(), incoming.TraceContext);
        activity?.SetTag("messaging.rabbitmq.message.attempt", attempt);
        var eventHandlers = handlers.For(incoming.EventType);
        try
        {
            await using var scope = services.CreateAsyncScope();
            foreach (var (_, invoke) in eventHandlers)
            {
                await invoke(scope.ServiceProvider, incoming, attempt, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity?.SetTag("error.type", ex.GetType().FullName);
            if (options.IsStoreOutage(ex))
            {
                // Not the event's fault: hold this dispatch slot for the pause (so the consumer slows down with the
                // store), then give the message back with its attempt count unchanged.
                LogStoreOutageRequeueing(logger, incoming.EventId, incoming.EventType, options.OutageRetryDelay, ex);
                await Task.Delay(options.OutageRetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await TryNackAsync(channel, delivery.DeliveryTag, multiple: false, requeue: true);
                MessagingTelemetry.Retried.Add(1);
                return;
            }

            await SettleFailureAsync(channel, delivery.DeliveryTag, delivery.BasicProperties, delivery.Body, incoming, attempt, ex);
            return;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
        MessagingTelemetry.Consumed.Add(1, new KeyValuePair<string, object?>("event_type", incoming.EventType));
        state.LastProcessedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>A handler (not the store) failed on this attempt: retry later, or dead-letter after the last.</summary>
    private async Task SettleFailureAsync(
        IChannel channel, ulong deliveryTag, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, IncomingIntegrationEvent incoming, int attempt, Exception ex)
    {
        if (attempt < options.MaxAttempts)
        {
            var delay = options.DelayBefore(attempt + 1);
            LogHandlerFailedRetrying(logger, incoming.EventId, incoming.EventType, attempt, delay, ex);
            await RetryLaterAsync(channel, deliveryTag, properties, body, attempt, delay);
        }
        else
        {
            LogHandlerFailedDeadLettering(logger, incoming.EventId, incoming.EventType, attempt, ex);
            await DeadLetterAsync(channel, deliveryTag, "handler");
        }
    }

    private async Task RetryLaterAsync(IChannel channel, ulong deliveryTag, IReadOnlyBasicProperties deliveryProperties, ReadOnlyMemory<byte> body, int attempt, TimeSpan delay)
    {
        try
        {
            var retryChannel = _retryChannel ?? throw new InvalidOperationException("No retry channel.");
            var properties = new BasicProperties(deliveryProperties)
            {
                Expiration = ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                Persistent = true,
            };
            properties.Headers = new Dictionary<string, object?>(deliveryProperties.Headers ?? new Dictionary<string, object?>())
            {
                [MessagingTopology.AttemptHeader] = attempt,
            };
            await retryChannel.BasicPublishAsync("", MessagingTopology.RetryQueueName(options.QueueName), mandatory: false, properties, body);
            await channel.BasicAckAsync(deliveryTag, multiple: false);
            MessagingTelemetry.Retried.Add(1);
        }
        catch (Exception ex)
        {
            // Could not schedule the retry: give the message back to the queue (it keeps its attempt count).
            LogRetryScheduleFailed(logger, options.QueueName, ex);
            await TryNackAsync(channel, deliveryTag, multiple: false, requeue: true);
        }
    }

    private async Task DeadLetterAsync(IChannel channel, ulong deliveryTag, string reason)
    {
        // The queue's x-dead-letter-exchange routes a rejected message to <queue>.dlq, atomically with the reject.
        await TryNackAsync(channel, deliveryTag, multiple: false, requeue: false);
        MessagingTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    private async Task TryNackAsync(IChannel channel, ulong deliveryTag, bool multiple, bool requeue)
    {
        try
        {
            await channel.BasicNackAsync(deliveryTag, multiple, requeue);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The channel is gone; the broker redelivers the unacknowledged message.
            LogNackFailed(logger, options.QueueName, ex);
        }
    }

    private static int AttemptOf(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is null || !properties.Headers.TryGetValue(MessagingTopology.AttemptHeader, out var value))
        {
            return 0;
        }

        return value switch
        {
            int i => i,
            long l => (int)l,
            byte[] bytes when int.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        };
    }

    private async Task CloseChannelsAsync()
    {
        foreach (var channel in new[] { _channel, _retryChannel })
        {
            if (channel is null)
            {
                continue;
            }

            try
            {
                await channel.DisposeAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogNackFailed(logger, options.QueueName, ex);
            }
        }

        _channel = null;
        _retryChannel = null;
        _pendingBatches?.TryComplete();
        _pendingBatches = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Queue} (bindings: {Bindings})")]
    private static partial void LogConsuming(ILogger logger, string queue, string bindings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start consuming {Queue}; retrying")]
    private static partial void LogStartFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettering invalid message {MessageId} from {Queue}: {Reason}")]
    private static partial void LogInvalidMessage(ILogger logger, string queue, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling event {EventId} ({EventType}) failed on attempt {Attempt}; retrying in {Delay}")]
    private static partial void LogHandlerFailedRetrying(ILogger logger, Guid eventId, string eventType, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling event {EventId} ({EventType}) failed on attempt {Attempt}, the last; dead-lettering it")]
    private static partial void LogHandlerFailedDeadLettering(ILogger logger, Guid eventId, string eventType, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling event {EventId} ({EventType}) met a store outage; requeueing it in {Delay}, attempt not counted")]
    private static partial void LogStoreOutageRequeueing(ILogger logger, Guid eventId, string eventType, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not schedule a retry on {Queue}; requeueing")]
    private static partial void LogRetryScheduleFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A channel operation on {Queue} failed after the channel closed")]
    private static partial void LogNackFailed(ILogger logger, string queue, Exception exception);
}

/// <summary>Health state of one consumer.</summary>
internal sealed class ConsumerState
{
    public volatile bool Consuming;

    public DateTimeOffset? LastProcessedAt { get; set; }
}
