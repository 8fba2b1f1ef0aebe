namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// The counters every limit decision uses: Redis (shared by all gateway replicas) while it answers, this replica's
/// <see cref="LocalRateLimitStore"/> while it does not — limits keep holding per replica instead of failing open (no
/// limit) or closed (every request refused), and the headers then describe the local counters. After a failure Redis
/// is skipped for a few seconds, so an outage costs one failed call, not one per request. Token buckets go through
/// <see cref="LeasedTokenBuckets"/> (one Redis call per lease of tokens, not per request; a live lease keeps being used
/// while Redis is unreachable, until it expires); fixed windows stay one exact call per request.
/// </summary>
public sealed partial class SharedRateLimitCounters(
    IConnectionMultiplexer redis, RedisRateLimitStore shared, LeasedTokenBuckets leases, LocalRateLimitStore local, TimeProvider time, ILogger<SharedRateLimitCounters> logger)
{
    private static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(5);
    private long _redisUnavailableUntil;

    /// <summary>True while decisions come from this replica's own counters.</summary>
    public bool UsingLocalCounters => !redis.IsConnected || time.GetTimestamp() < Interlocked.Read(ref _redisUnavailableUntil);

    public async ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string key)
    {
        var bucket = policy.Algorithm == RateLimitAlgorithm.TokenBucket;
        if (UsingLocalCounters)
        {
            return (bucket ? leases.TryTakeFromLiveLease(policy, key) : null) ?? local.Acquire(policy, key);
        }

        try
        {
            return bucket ? await leases.AcquireAsync(policy, key) : await shared.AcquireAsync(policy, key);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Interlocked.Exchange(ref _redisUnavailableUntil, time.GetTimestamp() + (long)(RetryRedisAfter.TotalSeconds * time.TimestampFrequency));
            LogFallback(logger, ex.GetType().Name);
            return local.Acquire(policy, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unreachable for rate limiting ({Failure}); using this replica's local counters")]
    private static partial void LogFallback(ILogger logger, string failure);
}
