namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>
/// Idempotency records in Redis, shared by every replica: one hash per caller and key with the request's fingerprint,
/// the owner token while in flight (a SET-NX-style claim with a TTL) and the stored response once completed.
/// Every transition is one Lua script, so two replicas can never both claim a key. Each caller's records are also
/// listed in one sorted set (by expiry), which bounds them: past <see cref="IdempotencyOptions.MaxKeysPerCaller"/> the
/// caller's oldest records are dropped, so no caller can fill Redis with keys.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis, IOptions<IdempotencyOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Claim the key when free (fingerprint + owner + in-flight TTL) and list it in the caller's index (scored by its
    // expiry, Redis's clock); past the per-caller cap the caller's oldest records are dropped. Otherwise report what is there.
    private const string BeginScript = """
        if redis.call('HSETNX', KEYS[1], 'fp', ARGV[1]) == 1 then
          redis.call('HSET', KEYS[1], 'owner', ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
          redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), KEYS[1])
          local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
          if over > 0 then
            for _, oldest in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do
              redis.call('DEL', oldest)
            end
            redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
          end
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
          return false
        end
        return redis.call('HMGET', KEYS[1], 'fp', 'owner', 'response')
        """;

    // Only the owner completes: the response replaces the claim and lives for the record lifetime.
    private const string CompleteScript = """
        if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
        redis.call('HDEL', KEYS[1], 'owner')
        redis.call('HSET', KEYS[1], 'response', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
          redis.call('ZREM', KEYS[2], KEYS[1])
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    public async Task<IdempotencyBegin> BeginAsync(string caller, string storeKey, string fingerprint, string owner)
    {
        var result = await RunAsync(BeginScript, [storeKey, IdempotencyRequest.CallerIndexKey(caller)],
            fingerprint, owner, (long)options.Value.InFlightLifetime.TotalMilliseconds,
            (long)options.Value.RecordLifetime.TotalMilliseconds, options.Value.MaxKeysPerCaller);
        if (result.IsNull)
        {
            return new IdempotencyBegin(IdempotencyState.Acquired, fingerprint, null);
        }

        var fields = (RedisValue[]?)result ?? [];
        var storedFingerprint = fields.Length > 0 ? (string?)fields[0] ?? "" : "";
        if (fields.Length > 2 && fields[2] is { IsNull: false } response)
        {
            return new IdempotencyBegin(IdempotencyState.Completed, storedFingerprint,
                JsonSerializer.Deserialize<StoredResponse>((string)response!, Json));
        }

        return new IdempotencyBegin(IdempotencyState.InFlight, storedFingerprint, null);
    }

    public async Task<bool> CompleteAsync(string storeKey, string owner, StoredResponse response)
    {
        var result = await RunAsync(CompleteScript, [storeKey],
            owner, JsonSerializer.Serialize(response, Json), (long)options.Value.RecordLifetime.TotalMilliseconds);
        return (long)result == 1;
    }

    public async Task ReleaseAsync(string caller, string storeKey, string owner) =>
        await RunAsync(ReleaseScript, [storeKey, IdempotencyRequest.CallerIndexKey(caller)], owner);

    /// <summary>How many records the caller holds now (completed or in flight), for tests and diagnostics.</summary>
    public async Task<long> CountAsync(string caller)
    {
        var result = await RunAsync("return redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf')",
            [IdempotencyRequest.CallerIndexKey(caller)], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return (long)result;
    }

    private async Task<RedisResult> RunAsync(string script, RedisKey[] keys, params RedisValue[] values)
    {
        if (!redis.IsConnected)
        {
            throw new IdempotencyStoreUnavailableException(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not connected."));
        }

        try
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(script, keys, values);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new IdempotencyStoreUnavailableException(ex);
        }
    }
}
