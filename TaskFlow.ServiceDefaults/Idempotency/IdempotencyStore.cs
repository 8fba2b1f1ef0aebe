namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>
/// Idempotency records in Redis, shared by every replica: one hash per caller and key with the request's fingerprint,
/// the owner token while in flight (a SET-NX-style claim with a TTL) and the stored response once completed.
/// Every transition is one Lua script, so two replicas can never both claim a key.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis, IOptions<IdempotencyOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Claim the key when free (fingerprint + owner + in-flight TTL); otherwise report what is there.
    private const string BeginScript = """
        if redis.call('HSETNX', KEYS[1], 'fp', ARGV[1]) == 1 then
          redis.call('HSET', KEYS[1], 'owner', ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
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
        if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async Task<IdempotencyBegin> BeginAsync(string storeKey, string fingerprint, string owner)
    {
        var result = await RunAsync(BeginScript, storeKey,
            fingerprint, owner, (long)options.Value.InFlightLifetime.TotalMilliseconds);
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
        var result = await RunAsync(CompleteScript, storeKey,
            owner, JsonSerializer.Serialize(response, Json), (long)options.Value.RecordLifetime.TotalMilliseconds);
        return (long)result == 1;
    }

    public async Task ReleaseAsync(string storeKey, string owner) =>
        await RunAsync(ReleaseScript, storeKey, owner);

    private async Task<RedisResult> RunAsync(string script, string storeKey, params RedisValue[] values)
    {
        if (!redis.IsConnected)
        {
            throw new IdempotencyStoreUnavailableException(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not connected."));
        }

        try
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(script, [storeKey], values);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new IdempotencyStoreUnavailableException(ex);
        }
    }
}
