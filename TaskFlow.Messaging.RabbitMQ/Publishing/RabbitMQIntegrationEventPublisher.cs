using System.Text.Json;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Options;
using TaskFlow.Messaging.Schemas;

namespace TaskFlow.Messaging.Publishing;

/// <summary>
/// One confirm-enabled channel per process on the Aspire-registered <see cref="IConnection"/> (which recovers
/// automatically). Publishes may run concurrently: RabbitMQ.Client 7 tracks each confirm by sequence number.
/// </summary>
internal sealed partial class RabbitMQIntegrationEventPublisher(
    IServiceProvider services,
    IOptions<MessagingOptions> options,
    ILogger<RabbitMQIntegrationEventPublisher> logger) : IIntegrationEventPublisher, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public Task PublishAsync<TEvent>(TEvent data, string subject, CancellationToken cancellationToken) where TEvent : class, IIntegrationEvent =>
        PublishAsync(IntegrationEventEnvelope.Create(data, subject), cancellationToken);

    public async Task PublishAsync(CloudEvent envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var eventType = envelope.Type ?? "";
        var eventId = envelope.Id ?? "";
        var validation = envelope.Data is JsonElement data
            ? IntegrationEventSchemas.Validate(eventType, data)
            : new SchemaValidationResult(false, ["The envelope has no JSON data."]);
        if (!validation.IsValid)
        {
            throw new InvalidIntegrationEventException(eventType, eventId, validation.ToString());
        }

        using var activity = RabbitMQTelemetry.StartPublish(eventType, eventId, envelope.Subject, IntegrationEventEnvelope.GetTraceContext(envelope));
        if (activity is not null)
        {
            // The consumer continues from this publish span.
            IntegrationEventEnvelope.SetTraceContext(envelope, activity.Context);
        }

        try
        {
            var channel = await GetChannelAsync(cancellationToken);
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = IntegrationEventEnvelope.MediaType,
                MessageId = eventId,
                Type = eventType,
                AppId = envelope.Source?.ToString(),
                Timestamp = new AmqpTimestamp((envelope.Time ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()),
                Headers = new Dictionary<string, object?>(),
            };
            if (IntegrationEventEnvelope.GetTraceParent(envelope) is string traceParent)
            {
                properties.Headers["traceparent"] = traceParent;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.PublishConfirmTimeout);
            await channel.BasicPublishAsync(
                MessagingTopology.ExchangeName,
                routingKey: eventType,
                mandatory: false,
                basicProperties: properties,
                body: IntegrationEventEnvelope.Encode(envelope),
                cancellationToken: timeout.Token);
            MessagingTelemetry.Published.Add(1, new KeyValuePair<string, object?>("event_type", eventType));
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity?.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
    }

    private async ValueTask<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true } current)
            {
                return current;
            }

            // Resolving the connection can throw while the broker is unreachable; the caller retries later.
            var connection = services.GetRequiredService<IConnection>();
            if (_channel is not null)
            {
                if (!connection.IsOpen)
                {
                    // The connection is recovering; its channels come back with it.
                    throw new BrokerUnavailableException("The RabbitMQ connection is closed (recovering).");
                }

                await DisposeChannelAsync();
            }

            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            await MessagingTopology.DeclareExchangeAsync(channel, cancellationToken);
            LogChannelOpened(logger);
            _channel = channel;
            return channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DisposeChannelAsync()
    {
        if (_channel is null)
        {
            return;
        }

        try
        {
            await _channel.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogChannelDisposeFailed(logger, ex);
        }

        _channel = null;
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeChannelAsync();
        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened a confirm-enabled publishing channel")]
    private static partial void LogChannelOpened(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing a broken publishing channel failed")]
    private static partial void LogChannelDisposeFailed(ILogger logger, Exception exception);
}
