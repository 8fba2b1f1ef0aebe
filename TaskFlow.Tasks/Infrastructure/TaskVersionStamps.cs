namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// Per-task version stamps in Redis (<c>taskflow-tasks:stamp:{id}</c>), the freshness half of the read path: a read
/// takes the current version from its stamp (one Redis GET) and the task at that version from HybridCache, so a cache
/// hit never touches MongoDB. The stamp value encodes <c>2 × version (+1 once deleted)</c>.
/// <list type="bullet">
/// <item>Stamps only ever rise: they are written by one Lua script that keeps the larger value, so of two concurrent
/// writers (serialised by MongoDB's compare-and-set on the version) the later version wins whatever order their
/// stamp writes arrive in, and a reader that read an older version from MongoDB cannot lower a newer stamp.</item>
/// <item>Every stamp is a lease: it expires <see cref="TaskCacheOptions.StampLease"/> after the MongoDB read or
/// write it reports started. A writer whose stamp write fails (Redis down or cut off) answers only after that lease
/// has passed (<see cref="WaitOutLeaseAsync"/>), so no replica can still trust an older stamp once the client
/// sees the write; meanwhile reads without a stamp fall back to MongoDB.</item>
/// </list>
/// </summary>
public sealed partial class TaskVersionStamps(IConnectionMultiplexer redis, IOptions<TaskCacheOptions> options, TimeProvider clock, ILogger<TaskVersionStamps> logger)
{
    /// <summary>KEYS[1] = stamp, ARGV[1] = value, ARGV[2] = lease in ms. Keeps the larger value.</summary>
    private const string RaiseScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
        local proposed = tonumber(ARGV[1])
        if proposed >= current then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>Slack for the time a stamp write spends on the wire before Redis starts its lease.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMilliseconds(500);

    public static RedisKey KeyFor(string id) => "taskflow-tasks:stamp:" + id;

    public static long Encode(long version, bool deleted) => (version * 2) + (deleted ? 1 : 0);

    /// <summary>The stamp, or null when there is none or Redis cannot be asked (the caller reads MongoDB).</summary>
    public async ValueTask<TaskStamp?> GetAsync(string id)
    {
        if (!redis.IsConnected)
        {
            return null;
        }

        try
        {
            var value = await redis.GetDatabase().StringGetAsync(KeyFor(id));
            if (value.IsNullOrEmpty || !value.TryParse(out long encoded) || encoded < 2)
            {
                return null;
            }

            return new TaskStamp(encoded / 2, (encoded & 1) == 1);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogStampUnavailable(logger, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>A point in time, to be handed to <see cref="TryRaiseAsync"/> for a MongoDB operation started now.</summary>
    public long Now() => clock.GetTimestamp();

    /// <summary>
    /// Raises the stamp to this version (never lowers it), leased until <see cref="TaskCacheOptions.StampLease"/>
    /// after <paramref name="observedAt"/>, when the MongoDB read or write that saw the version began.
    /// False when Redis did not take it.
    /// </summary>
    public async ValueTask<bool> TryRaiseAsync(string id, long version, bool deleted, long observedAt)
    {
        var lease = options.Value.StampLease - clock.GetElapsedTime(observedAt);
        if (lease <= TimeSpan.Zero)
        {
            return false;
        }

        if (!redis.IsConnected)
        {
            return false;
        }

        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(
                RaiseScript,
                [KeyFor(id)],
                [Encode(version, deleted), (long)lease.TotalMilliseconds]);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogStampUnavailable(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// After a committed change whose stamp could not be raised: waits until every stamp that could still name an
    /// older version has expired, so the answer never precedes a stale read on another replica.
    /// </summary>
    public Task WaitOutLeaseAsync(CancellationToken cancellationToken)
    {
        LogWaitingOutLease(logger, options.Value.StampLease.TotalMilliseconds);
        return Task.Delay(options.Value.StampLease + LeaseMargin, clock, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Version stamp not available from Redis ({Reason}); using MongoDB")]
    private static partial void LogStampUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not take a version stamp; answering after the {LeaseMs} ms stamp lease so no replica reads the old version")]
    private static partial void LogWaitingOutLease(ILogger logger, double leaseMs);
}
