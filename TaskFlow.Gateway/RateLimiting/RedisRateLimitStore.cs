namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// Counters shared by every gateway replica. Fixed windows: one Lua script call per request decides and returns
/// everything the headers need (allowed, remaining, ms to reset, ms to the next permit), so headers and decision come
/// from the same state. Token buckets: one call per lease of one or more tokens (<see cref="LeaseAsync"/>, used by
/// <see cref="LeasedTokenBuckets"/>). Time is Redis's own (PTTL, TIME), never a replica's clock. Same arithmetic as <see cref="LocalRateLimitStore"/>.
/// </summary>
public sealed class RedisRateLimitStore(IConnectionMultiplexer redis)
{
    public const string KeyPrefix = "gateway:ratelimit:";

    /// <summary>A lease is at most this fraction (1/n) of the shared bucket's tokens (see <see cref="LeasedTokenBuckets"/>).</summary>
    public const int LeaseShareDivisor = 16;

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

    /// <summary>
    /// The token bucket's script with leases: refill, put back what the caller's previous lease left unspent (capped at
    /// the quota), take <c>max(1, min(maxlease, floor(tokens / share)))</c> tokens (none when fewer than 1 is left), and
    /// record the lease in the hash as field <c>l:&lt;replica&gt;</c> = <c>size:expiry</c> so that other replicas can
    /// count live leases (expired ones are removed by whoever meets them). A lease's first token is spent at once by the
    /// request that asked for it, so other replicas' live leases count as <c>size - 1</c> unspent tokens each.
    /// </summary>
    private static readonly LuaScript LeaseScript = LuaScript.Prepare("""
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
        tokens = math.min(quota, tokens + tonumber(@giveback))
        local take = 0
        if tokens >= 1 then
          take = math.max(1, math.min(tonumber(@maxlease), math.floor(tokens / tonumber(@share))))
          tokens = tokens - take
        end
        local mine = 'l:' .. @replica
        local others = 0
        local fields = redis.call('HGETALL', @key)
        for i = 1, #fields, 2 do
          local field = fields[i]
          if string.sub(field, 1, 2) == 'l:' and field ~= mine then
            local size, expiry = string.match(fields[i + 1], '^(%d+):(%d+)$')
            if size ~= nil and tonumber(expiry) > now then
              others = others + tonumber(size) - 1
            else
              redis.call('HDEL', @key, field)
            end
          end
        end
        local lifetime = tonumber(@lifetime)
        if take > 0 then
          redis.call('HSET', @key, mine, take .. ':' .. (now + lifetime))
        else
          redis.call('HDEL', @key, mine)
        end
        local wait = 0
        if tokens < 1 then wait = math.ceil((1 - tokens) / rate) + 1 end
        local full = math.ceil((quota - tokens) / rate)
        redis.call('HSET', @key, 't', string.format('%.17g', tokens), 'ts', updated)
        redis.call('PEXPIRE', @key, math.max(full, lifetime) + 1000)
        return {take, math.floor(tokens), others, full, wait}
        """);

    /// <summary>One request against a fixed-window policy (token buckets lease through <see cref="LeaseAsync"/>).</summary>
    public async Task<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string key)
    {
        if (policy.Algorithm != RateLimitAlgorithm.FixedWindow)
        {
            throw new ArgumentException($"Policy \"{policy.Name}\" is a token bucket: lease its tokens with {nameof(LeaseAsync)}.", nameof(policy));
        }

        var database = redis.GetDatabase();
        var redisKey = (RedisKey)(KeyPrefix + policy.Name + ":" + key);
        var result = await database.ScriptEvaluateAsync(FixedWindowScript, new { key = redisKey, quota = policy.Quota, window = policy.WindowMilliseconds });
        var values = (long[]?)result ?? throw new RedisException("The rate-limit script returned nothing.");
        return new RateLimitDecision(values[0] == 1, values[1], values[2], values[3]);
    }

    /// <summary>
    /// One script call for a token bucket lease: gives back <paramref name="giveBack"/> unspent tokens of this replica's
    /// previous lease of <paramref name="key"/> and takes a new lease of up to <paramref name="maxLease"/> tokens, live
    /// for <paramref name="lifetime"/> (see <see cref="LeaseScript"/> for the size rule).
    /// </summary>
    public async Task<TokenLeaseGrant> LeaseAsync(RateLimitPolicy policy, string key, string replica, long giveBack, int maxLease, TimeSpan lifetime)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(LeaseScript, new
        {
            key = (RedisKey)(KeyPrefix + policy.Name + ":" + key),
            quota = policy.Quota,
            rate = policy.TokensPerMillisecond,
            giveback = giveBack,
            maxlease = maxLease,
            share = LeaseShareDivisor,
            replica,
            lifetime = (long)lifetime.TotalMilliseconds,
        });
        var values = (long[]?)result ?? throw new RedisException("The rate-limit lease script returned nothing.");
        return new TokenLeaseGrant(values[0], values[1], values[2], values[3], values[4]);
    }
}
