namespace TaskFlow.Messaging.Publishing;

/// <summary>
/// The broker layout every TaskFlow service agrees on. Publishers publish to one durable topic exchange with the
/// event type as routing key; messages that no queue is bound for go to an alternate exchange and its queue instead
/// of vanishing. Each consumer declares its own durable queue, a retry queue (delayed redelivery) and a dead-letter
/// exchange and queue.
/// </summary>
public static class MessagingTopology
{
    public const string ExchangeName = "taskflow.events";
    public const string UnroutedExchangeName = "taskflow.events.unrouted";
    public const string UnroutedQueueName = "taskflow.events.unrouted";

    /// <summary>
    /// Events no queue is bound for (task.deleted, user.registered and user.updated today) are kept for inspection, but
    /// bounded: each expires after a day, and past 10 000 the oldest are dropped, so a queue nobody consumes never grows
    /// without limit.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, object?> UnroutedQueueArguments = new Dictionary<string, object?>
    {
        ["x-message-ttl"] = 24 * 60 * 60 * 1000,
        ["x-max-length"] = 10_000,
        ["x-overflow"] = "drop-head",
    };

    /// <summary>Header carrying how many times a consumer has already tried a message.</summary>
    public const string AttemptHeader = "x-taskflow-attempt";

    public static string DeadLetterExchangeName(string queue) => queue + ".dlx";

    public static string DeadLetterQueueName(string queue) => queue + ".dlq";

    public static string RetryQueueName(string queue) => queue + ".retry";

    public static async Task DeclareExchangeAsync(IChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        await channel.ExchangeDeclareAsync(UnroutedExchangeName, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(UnroutedQueueName, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>(UnroutedQueueArguments), cancellationToken: cancellationToken);
        await channel.QueueBindAsync(UnroutedQueueName, UnroutedExchangeName, routingKey: "", cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(
            ExchangeName,
            ExchangeType.Topic,
            durable: true,
            autoDelete: false,
            arguments: new Dictionary<string, object?> { ["alternate-exchange"] = UnroutedExchangeName },
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Declares a consumer's queue bound to the given routing keys (patterns allowed, e.g. <c>task.*</c>), its
    /// dead-letter exchange and queue, and its retry queue, which dead-letters expired messages back to the queue.
    /// </summary>
    public static async Task DeclareConsumerQueueAsync(IChannel channel, string queue, IEnumerable<string> routingKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(routingKeys);
        await DeclareExchangeAsync(channel, cancellationToken);

        var deadLetterExchange = DeadLetterExchangeName(queue);
        var deadLetterQueue = DeadLetterQueueName(queue);
        await channel.ExchangeDeclareAsync(deadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(deadLetterQueue, deadLetterExchange, routingKey: "", cancellationToken: cancellationToken);

        await channel.QueueDeclareAsync(
            queue,
            durable: true,
            exclusive: false,
            autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-dead-letter-exchange"] = deadLetterExchange },
            cancellationToken: cancellationToken);

        // Messages wait here for their per-message TTL (the back-off delay), then return to the queue through the
        // default exchange.
        await channel.QueueDeclareAsync(
            RetryQueueName(queue),
            durable: true,
            exclusive: false,
            autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = queue,
            },
            cancellationToken: cancellationToken);

        foreach (var routingKey in routingKeys.Distinct(StringComparer.Ordinal))
        {
            await channel.QueueBindAsync(queue, ExchangeName, routingKey, cancellationToken: cancellationToken);
        }
    }
}
