using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// The shared (Redis) limiter of one partition, with a per-replica in-memory limiter of the same shape to fall
/// back on while Redis is unreachable: limits keep holding per gateway replica instead of failing open (no limit)
/// or closed (every request refused). Once Redis answers again the shared counts are used again.
/// </summary>
public sealed partial class RedisWithLocalFallbackRateLimiter(RateLimiter shared, RateLimiter local, ILogger logger) : RateLimiter
{
    /// <summary>After a Redis failure every partition uses local limits for this long before asking Redis again,
    /// so an outage costs one slow call, not one per request.</summary>
    private static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(5);
    private static long _redisUnavailableUntil;

    private static bool RedisRecentlyFailed => Environment.TickCount64 < Interlocked.Read(ref _redisUnavailableUntil);

    public override TimeSpan? IdleDuration => shared.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => shared.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (RedisRecentlyFailed)
        {
            return local.AttemptAcquire(permitCount);
        }

        try
        {
            return shared.AttemptAcquire(permitCount);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            MarkRedisFailed();
            LogFallback(logger, ex.GetType().Name);
            return local.AttemptAcquire(permitCount);
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (RedisRecentlyFailed)
        {
            return await local.AcquireAsync(permitCount, cancellationToken);
        }

        try
        {
            return await shared.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            MarkRedisFailed();
            LogFallback(logger, ex.GetType().Name);
            return await local.AcquireAsync(permitCount, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void MarkRedisFailed() =>
        Interlocked.Exchange(ref _redisUnavailableUntil, Environment.TickCount64 + (long)RetryRedisAfter.TotalMilliseconds);

    private static bool IsRedisFailure(Exception ex) =>
        ex is RedisException or RedisTimeoutException or RedisConnectionException or TimeoutException or ObjectDisposedException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unreachable for rate limiting ({Failure}); using this replica's local limits")]
    private static partial void LogFallback(ILogger logger, string failure);
}
