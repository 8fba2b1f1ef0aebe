using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Messaging.Consuming;

/// <summary>Settings of one consumer (one durable queue), bound from <c>Messaging:Consumers:{queue}</c>.</summary>
public sealed class IntegrationEventConsumerOptions
{
    [Required]
    public string QueueName { get; set; } = "";

    /// <summary>Unacknowledged messages the broker hands this consumer at once.</summary>
    [Range(1, 1000)]
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>Messages handled at the same time by this consumer (each in its own DI scope).</summary>
    [Range(1, 64)]
    public ushort Concurrency { get; set; } = 4;

    /// <summary>Attempts per message, the first included; after the last failure the message is dead-lettered.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Delay before attempt 2, 3, ...; the last value repeats when there are more attempts than delays.</summary>
    public IList<TimeSpan> RetryDelays { get; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];

    /// <summary>
    /// Batch handlers only: at most this many deliveries per batch (those already prefetched; the consumer never waits
    /// to fill a batch). Keep <see cref="PrefetchCount"/> at least as large.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long the consumer pauses before a message whose handler failed on a store outage (see
    /// <see cref="IsStoreOutage"/>) goes back to the queue. Such a failure is not a delivery attempt: the message is
    /// requeued with its attempt count unchanged, so an outage longer than the retry budget dead-letters nothing.
    /// </summary>
    public TimeSpan OutageRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Tells a store outage from a handler failure. Default: a <see cref="System.Data.Common.DbException"/> with
    /// <c>IsTransient</c> anywhere in the exception's chain (Npgsql: connection refused or lost, timeouts, the server
    /// shutting down or out of connections), also when wrapped by EF Core's retrying strategy.
    /// </summary>
    public Func<Exception, bool> IsStoreOutage { get; set; } = StoreOutage.IsTransientDatabaseFailure;

    /// <summary>Extra routing keys to bind (patterns allowed); the handled event types are always bound.</summary>
    public IList<string> ExtraBindings { get; } = [];

    internal TimeSpan DelayBefore(int attempt)
    {
        if (RetryDelays.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var index = Math.Clamp(attempt - 2, 0, RetryDelays.Count - 1);
        return RetryDelays[index];
    }
}
