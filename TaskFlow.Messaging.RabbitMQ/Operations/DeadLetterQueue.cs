using System.Text;

namespace TaskFlow.Messaging.Operations;

/// <summary>
/// Operator commands on a consumer's dead-letter queue <c>{queue}.dlq</c>: inspect what is in it, and redrive it back
/// to the consumer's queue once the cause is fixed. Redriven messages start over (their attempt count is reset), each
/// is acknowledged in the dead-letter queue only after the broker confirmed it in the consumer's queue, so a redrive
/// interrupted halfway loses nothing (at worst a message is in both, and the consumer's inbox processes it once).
/// </summary>
public static class DeadLetterQueue
{
    /// <summary>Up to <paramref name="max"/> dead letters, left where they are (read without acknowledging, then returned).</summary>
    public static async Task<IReadOnlyList<DeadLetter>> InspectAsync(IConnection connection, string queue, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var letters = new List<DeadLetter>();
        ulong lastTag = 0;
        while (letters.Count < max && await channel.BasicGetAsync(MessagingTopology.DeadLetterQueueName(queue), autoAck: false, cancellationToken) is { } message)
        {
            lastTag = message.DeliveryTag;
            var properties = message.BasicProperties;
            letters.Add(new DeadLetter(properties.MessageId, properties.Type, Reason(properties), Attempts(properties)));
        }

        if (lastTag != 0)
        {
            await channel.BasicNackAsync(lastTag, multiple: true, requeue: true, cancellationToken);
        }

        return letters;
    }

    /// <summary>Moves every message now in <c>{queue}.dlq</c> back to <paramref name="queue"/>; returns how many moved.</summary>
    public static async Task<int> RedriveAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var deadLetterQueue = MessagingTopology.DeadLetterQueueName(queue);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        // Only what is there now: a message that fails again goes back to the dead-letter queue, not round in a loop.
        var waiting = (await channel.QueueDeclarePassiveAsync(deadLetterQueue, cancellationToken)).MessageCount;
        var moved = 0;
        while (moved < waiting && await channel.BasicGetAsync(deadLetterQueue, autoAck: false, cancellationToken) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties) { Persistent = true };
            if (message.BasicProperties.Headers is { } headers)
            {
                properties.Headers = headers
                    .Where(h => h.Key != MessagingTopology.AttemptHeader && !h.Key.StartsWith("x-death", StringComparison.Ordinal)
                        && !h.Key.StartsWith("x-first-death", StringComparison.Ordinal) && !h.Key.StartsWith("x-last-death", StringComparison.Ordinal))
                    .ToDictionary(h => h.Key, h => h.Value);
            }

            await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        return moved;
    }

    private static string? Reason(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue("x-first-death-reason", out var value) == true ? Text(value) : null;

    private static int Attempts(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue(MessagingTopology.AttemptHeader, out var value) == true && value is int or long
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) + 1
            : 1;

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => value?.ToString(),
    };
}
