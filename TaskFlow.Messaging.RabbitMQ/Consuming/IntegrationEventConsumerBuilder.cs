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
}

internal delegate Task HandlerInvoker(IServiceProvider services, IncomingIntegrationEvent incoming, int attempt, CancellationToken cancellationToken);

internal sealed class HandlerTable
{
    private readonly Dictionary<string, List<(string Name, HandlerInvoker Invoke)>> _byEventType = new(StringComparer.Ordinal);

    public IEnumerable<string> EventTypes => _byEventType.Keys;

    public void Add(string eventType, string name, HandlerInvoker invoke)
    {
        if (!_byEventType.TryGetValue(eventType, out var list))
        {
            _byEventType[eventType] = list = [];
        }

        list.Add((name, invoke));
    }

    public IReadOnlyList<(string Name, HandlerInvoker Invoke)> For(string eventType) =>
        _byEventType.TryGetValue(eventType, out var list) ? list : [];
}
