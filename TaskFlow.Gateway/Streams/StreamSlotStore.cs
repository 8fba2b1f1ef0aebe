namespace TaskFlow.Gateway.Streams;

/// <summary>
/// Slots of open notification streams per user, shared by every gateway replica: a Redis sorted set per user whose
/// members are stream ids scored by their lease's expiry (Redis's own clock), so a crashed replica's streams free
/// their slots when the lease runs out. One Lua script call grants or refuses a slot atomically. While Redis is
/// unreachable each replica counts its own streams with the same limit (it holds per replica, nothing fails).
/// </summary>
public sealed partial class StreamSlotStore(IConnectionMultiplexer redis, IOptions<StreamLimitOptions> options, ILogger<StreamSlotStore> logger)
{
    private const string KeyPrefix = "gateway:streams:";

    // Drop expired leases, then grant a slot when fewer than the limit are held; else report the earliest expiry.
    private static readonly LuaScript AcquireScript = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', now)
        if redis.call('ZCARD', @key) >= tonumber(@limit) then
          local first = redis.call('ZRANGE', @key, 0, 0, 'WITHSCORES')
          return tonumber(first[2]) - now
        end
        redis.call('ZADD', @key, now + tonumber(@lease), @member)
        redis.call('PEXPIRE', @key, @lease)
        return -1
        """);

    private static readonly LuaScript RenewScript = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', @key, now + tonumber(@lease), @member)
        redis.call('PEXPIRE', @key, @lease)
        return 1
        """);

    private readonly ConcurrentDictionary<string, HashSet<string>> _local = new(StringComparer.Ordinal);

    public async Task<StreamSlot> AcquireAsync(string userId, string streamId)
    {
        var lease = options.Value.LeaseLifetime;
        try
        {
            if (redis.IsConnected)
            {
                var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, new
                {
                    key = (RedisKey)(KeyPrefix + userId),
                    member = streamId,
                    limit = options.Value.MaxPerUser,
                    lease = (long)lease.TotalMilliseconds,
                });
                return result < 0 ? new StreamSlot(true, 0) : new StreamSlot(false, RetryAfter(TimeSpan.FromMilliseconds(result)));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, ex.GetType().Name);
        }

        return AcquireLocal(userId, streamId) ? new StreamSlot(true, 0) : new StreamSlot(false, RetryAfter(lease));
    }

    public async Task RenewAsync(string userId, string streamId)
    {
        if (!redis.IsConnected)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, new
            {
                key = (RedisKey)(KeyPrefix + userId),
                member = streamId,
                lease = (long)options.Value.LeaseLifetime.TotalMilliseconds,
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, ex.GetType().Name);
        }
    }

    public async Task ReleaseAsync(string userId, string streamId)
    {
        ReleaseLocal(userId, streamId);
        if (!redis.IsConnected)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().SortedSetRemoveAsync(KeyPrefix + userId, streamId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The lease runs out by itself.
            LogRedisUnavailable(logger, ex.GetType().Name);
        }
    }

    private static int RetryAfter(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private bool AcquireLocal(string userId, string streamId)
    {
        var streams = _local.GetOrAdd(userId, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (streams)
        {
            if (streams.Count >= options.Value.MaxPerUser)
            {
                return false;
            }

            streams.Add(streamId);
            return true;
        }
    }

    private void ReleaseLocal(string userId, string streamId)
    {
        if (_local.TryGetValue(userId, out var streams))
        {
            lock (streams)
            {
                streams.Remove(streamId);
                if (streams.Count == 0)
                {
                    _local.TryRemove(new KeyValuePair<string, HashSet<string>>(userId, streams));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unreachable for stream slots ({Failure}); counting this replica's streams only")]
    private static partial void LogRedisUnavailable(ILogger logger, string failure);
}
