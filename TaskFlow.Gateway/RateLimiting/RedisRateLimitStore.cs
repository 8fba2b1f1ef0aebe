namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// Counters shared by every gateway replica: one Lua script call per request decides and returns everything the
/// headers need (allowed, remaining, ms to reset, ms to the next permit), so headers and decision come from the same
/// state. Time is Redis's own (PTTL, TIME), never a replica's clock. Same arithmetic as <see cref="LocalRateLimitStore"/>.
/// </summary>
public sealed class RedisRateLimitStore(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "gateway:ratelimit:";

    private static readonly LuaScript FixedWindowScript = LuaScript.Prepare("""
        local quota = tonumber(@quota)
        local count = tonumber(redis.call('GET', @key) or '0')
        local ttl = redis.call('PTTL', @key)
        if ttl <= 0 then
          redis.call('SET', @key, 1, 'PX', @window)
          local wait = 0
          if quota <= 1 then wait = tonumber(@window) end
          return {1, quota - 1, tonumber(@window), wait}
        end
        if count >= quota then return {0, 0, ttl, ttl} end
        count = redis.call('INCR', @key)
        local wait = 0
        if count >= quota then wait = ttl end
        return {1, quota - count, ttl, wait}
        """);

    private static readonly LuaScript TokenBucketScript = LuaScript.Prepare("""
        local quota = tonumber(@quota)
        local rate = tonumber(@rate)
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local state = redis.call('HMGET', @key, 't', 'ts')
        local tokens = tonumber(state[1])
        local updated = tonumber(state[2])
        if tokens == nil or updated == nil then
          tokens = quota
          updated = now
        end
        if now > updated then
          tokens = math.min(quota, tokens + (now - updated) * rate)
          updated = now
        end
        local allowed = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        end
        local wait = 0
        if tokens < 1 then wait = math.ceil((1 - tokens) / rate) + 1 end
        local full = math.ceil((quota - tokens) / rate)
        redis.call('HSET', @key, 't', string.format('%.17g', tokens), 'ts', updated)
        redis.call('PEXPIRE', @key, full + 1000)
        return {allowed, math.floor(tokens), full, wait}
        """);

    public async Task<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string key)
    {
        var database = redis.GetDatabase();
        var redisKey = (RedisKey)(KeyPrefix + policy.Name + ":" + key);
        var result = policy.Algorithm == RateLimitAlgorithm.FixedWindow
            ? await database.ScriptEvaluateAsync(FixedWindowScript, new { key = redisKey, quota = policy.Quota, window = policy.WindowMilliseconds })
            : await database.ScriptEvaluateAsync(TokenBucketScript, new { key = redisKey, quota = policy.Quota, rate = policy.TokensPerMillisecond });
        var values = (long[]?)result ?? throw new RedisException("The rate-limit script returned nothing.");
        return new RateLimitDecision(values[0] == 1, values[1], values[2], values[3]);
    }
}
