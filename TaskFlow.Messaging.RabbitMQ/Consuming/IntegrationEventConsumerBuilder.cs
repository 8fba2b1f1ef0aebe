using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskFlow.Messaging.Consuming;

/// <summary>Adds handlers to a consumer: each handled event type is bound to the consumer's queue.</summary>
public sealed class IntegrationEventConsumerBuilder
{
    internal IntegrationEventConsumerBuilder(IServiceCollection services, string queueName, HandlerTable handlers)
    {
        Services = services;
        QueueName = queueName;
        Handlers = handlers;
    }

    public IServiceCollection Services { get; }

    public string QueueName { get; }

    internal HandlerTable Handlers { get; }

    /// <summary>Handles <typeparamref name="TEvent"/> with <typeparamref name="THandler"/> (scoped, one scope per message).</summary>
    public IntegrationEventConsumerBuilder AddHandler<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        Services.AddScoped<THandler>();
        var descriptor = IntegrationEventRegistry.Get<TEvent>();
        Handlers.Add(descriptor.EventType, typeof(THandler).FullName ?? typeof(THandler).Name, (services, incoming, attempt, ct) =>
        {
            var handler = services.GetRequiredService<THandler>();
            var context = new IntegrationEventContext<TEvent>(
                incoming.EventId,
                incoming.EventType,
                incoming.Source,
                incoming.Subject,
                incoming.Time,
                (TEvent)incoming.Data,
                attempt);
            return handler.HandleAsync(context, ct);
        });
        return this;
    }

    /// <summary>
    /// Handles <typeparamref name="TEvent"/> with the batch handler <typeparamref name="THandler"/> (scoped, one scope
    /// per batch): opt-in batching for this consumer. The broker's prefetched deliveries are taken up to
    /// <see cref="IntegrationEventConsumerOptions.MaxBatchSize"/> at a time (what is waiting, never waiting for more),
    /// handed to the handler together and acked with one <c>multiple</c> ack. A consumer takes either per-message or
    /// batch handlers, not both.
    /// </summary>
    public IntegrationEventConsumerBuilder AddBatchHandler<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IIntegrationEventBatchHandler
    {
        Services.TryAddScoped<THandler>();
        var descriptor = IntegrationEventRegistry.Get<TEvent>();
        Handlers.AddBatch(descriptor.EventType, typeof(THandler).FullName ?? typeof(THandler).Name,
            (services, batch, ct) => services.GetRequiredService<THandler>().HandleBatchAsync(batch, ct));
        return this;
    }
}

internal delegate Task HandlerInvoker(IServiceProvider services, IncomingIntegrationEvent incoming, int attempt, CancellationToken cancellationToken);

internal delegate Task BatchHandlerInvoker(IServiceProvider services, IReadOnlyList<IntegrationEventBatchItem> batch, CancellationToken cancellationToken);

internal sealed class HandlerTable
{
    private readonly Dictionary<string, List<(string Name, HandlerInvoker Invoke)>> _byEventType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Name, BatchHandlerInvoker Invoke)>> _batchByEventType = new(StringComparer.Ordinal);

    public IEnumerable<string> EventTypes => _byEventType.Keys.Concat(_batchByEventType.Keys);

    /// <summary>True when the consumer's handlers are batch handlers.</summary>
    public bool Batched => _batchByEventType.Count > 0;

    public void Add(string eventType, string name, HandlerInvoker invoke)
    {
        if (Batched)
        {
            throw new InvalidOperationException($"{name}: this consumer already has batch handlers; a consumer takes one kind.");
        }

        if (!_byEventType.TryGetValue(eventType, out var list))
        {
            _byEventType[eventType] = list = [];
        }

        list.Add((name, invoke));
    }

    public void AddBatch(string eventType, string name, BatchHandlerInvoker invoke)
    {
        if (_byEventType.Count > 0)
        {
            throw new InvalidOperationException($"{name}: this consumer already has per-message handlers; a consumer takes one kind.");
        }

        if (!_batchByEventType.TryGetValue(eventType, out var list))
        {
            _batchByEventType[eventType] = list = [];
        }

        list.Add((name, invoke));
    }

    public IReadOnlyList<(string Name, HandlerInvoker Invoke)> For(string eventType) =>
        _byEventType.TryGetValue(eventType, out var list) ? list : [];

    public IReadOnlyList<(string Name, BatchHandlerInvoker Invoke)> BatchFor(string eventType) =>
        _batchByEventType.TryGetValue(eventType, out var list) ? list : [];
}
