namespace TaskFlow.Gateway.Revocation;

/// <summary>
/// The gateway's copy of the shared revocation list (<see cref="AccessTokenRevocations"/>): a session or user is looked
/// up in Redis once, then answered from memory; every revocation arrives over pub/sub and applies at once, so a
/// revoked token is refused within milliseconds without a Redis call per request.
/// <para>Known revocations only ever grow (a session is never un-revoked), so a lookup racing a pub/sub message can
/// never lose the revocation. A "not revoked" answer is trusted only while the subscription has stayed up since it was
/// read (any connection failure or restore drops trust in all of them) and for at most <see cref="RevocationOptions.TrustCheckFor"/>.</para>
/// <para>Redis down: known revocations keep applying; anything else is <see cref="RevocationVerdict.Unverified"/> and
/// accepted (fail open), while /health reports Degraded. See README "Gateway" for why.</para>
/// </summary>
public sealed partial class RevokedTokenCache(
    IConnectionMultiplexer redis, IOptions<RevocationOptions> options, ILogger<RevokedTokenCache> logger) : BackgroundService
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(2);

    private readonly ISubscriber _subscriber = redis.GetSubscriber();
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _users = new(StringComparer.Ordinal);
    private long _generation;
    private long _redisUnavailableUntil;
    private long _lastUnverifiedLog;

    /// <summary>Entries held (for tests and metrics).</summary>
    public int Count => _sessions.Count + _users.Count;

    /// <summary>
    /// Raised on the pub/sub thread for every revocation heard (a session id, or a user id with its new stamp), right
    /// after it applies, so that long-lived requests of that session or user (the notification stream) end at once.
    /// </summary>
    public event Action<RevocationNotice>? Revoked;

    /// <summary>Whether what this gateway already knows (no Redis call) revokes the token: for checks on every write.</summary>
    public bool IsKnownRevoked(string? sessionId, string userId, long issuedAtMilliseconds) =>
        IsRevoked(sessionId is null ? null : _sessions.GetValueOrDefault(sessionId), _users.GetValueOrDefault(userId), issuedAtMilliseconds);

    public async ValueTask<RevocationVerdict> CheckAsync(string? sessionId, string userId, long issuedAtMilliseconds)
    {
        var generation = Interlocked.Read(ref _generation);
        var now = Environment.TickCount64;
        var session = sessionId is null ? null : _sessions.GetValueOrDefault(sessionId);
        var user = _users.GetValueOrDefault(userId);
        if (IsRevoked(session, user, issuedAtMilliseconds))
        {
            return RevocationVerdict.Revoked;
        }

        if ((sessionId is null || IsTrusted(session, generation, now)) && IsTrusted(user, generation, now))
        {
            return RevocationVerdict.Valid;
        }

        if (!redis.IsConnected || now < Interlocked.Read(ref _redisUnavailableUntil))
        {
            return Unverified();
        }

        RedisValue[] values;
        try
        {
            RedisKey[] keys = sessionId is null
                ? [AccessTokenRevocations.UserKey(userId)]
                : [AccessTokenRevocations.UserKey(userId), AccessTokenRevocations.SessionKey(sessionId)];
            values = await redis.GetDatabase().StringGetAsync(keys).WaitAsync(options.Value.LookupTimeout);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Interlocked.Exchange(ref _redisUnavailableUntil, Environment.TickCount64 + (long)RetryRedisAfter.TotalMilliseconds);
            LogLookupFailed(logger, ex.GetType().Name);
            return Unverified();
        }

        user = Merge(_users, userId, (long?)values[0] ?? 0, now, generation);
        if (sessionId is not null)
        {
            session = Merge(_sessions, sessionId, values[1].HasValue ? 1 : 0, now, generation);
        }

        return IsRevoked(session, user, issuedAtMilliseconds) ? RevocationVerdict.Revoked : RevocationVerdict.Valid;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += (_, _) => Interlocked.Increment(ref _generation);
        redis.ConnectionRestored += (_, _) => Interlocked.Increment(ref _generation);
        var subscribed = false;
        using var timer = new PeriodicTimer(SweepEvery);
        do
        {
            if (!subscribed)
            {
                subscribed = await TrySubscribeAsync();
            }

            Sweep(Environment.TickCount64);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            // The multiplexer re-subscribes by itself after a reconnect; this is only needed once.
            await _subscriber.SubscribeAsync(AccessTokenRevocations.Channel, (_, message) => Apply(message));
            Interlocked.Increment(ref _generation);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogLookupFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    private void Apply(RedisValue message)
    {
        if (!AccessTokenRevocations.TryParseMessage(message, out var sessionId, out var userId, out var stamp))
        {
            return;
        }

        var now = Environment.TickCount64;
        var generation = Interlocked.Read(ref _generation);
        if (sessionId is not null)
        {
            Merge(_sessions, sessionId, 1, now, generation);
        }
        else if (userId is not null)
        {
            Merge(_users, userId, stamp, now, generation);
        }

        Revoked?.Invoke(new RevocationNotice(sessionId, userId, stamp));
    }

    /// <summary>
    /// Records what was read or heard. The value only grows (revoked stays revoked, a stamp only moves later), so a
    /// lookup that read Redis just before a revocation cannot overwrite what its pub/sub message already recorded.
    /// </summary>
    private static Entry Merge(ConcurrentDictionary<string, Entry> entries, string key, long value, long now, long generation) =>
        entries.AddOrUpdate(key, static (_, n) => n, static (_, old, n) => n with { Value = Math.Max(old.Value, n.Value) }, new Entry(value, now, generation));

    private static bool IsRevoked(Entry? session, Entry? user, long issuedAtMilliseconds) =>
        session is { Value: > 0 } || (user is { Value: > 0 } && issuedAtMilliseconds < user.Value);

    private bool IsTrusted(Entry? entry, long generation, long now) =>
        entry is not null && entry.Generation == generation && now - entry.CheckedAt < (long)options.Value.TrustCheckFor.TotalMilliseconds &&
        _subscriber.IsConnected(AccessTokenRevocations.Channel);

    private void Sweep(long now)
    {
        var trust = (long)options.Value.TrustCheckFor.TotalMilliseconds;
        var retain = (long)options.Value.RetainRevokedFor.TotalMilliseconds;
        foreach (var entries in new[] { _sessions, _users })
        {
            foreach (var (key, entry) in entries)
            {
                if (now - entry.CheckedAt > (entry.Value > 0 ? retain : trust))
                {
                    entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }
        }
    }

    private RevocationVerdict Unverified()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastUnverifiedLog);
        if (now - last > 10_000 && Interlocked.CompareExchange(ref _lastUnverifiedLog, now, last) == last)
        {
            LogUnverified(logger);
        }

        return RevocationVerdict.Unverified;
    }

    /// <summary>Revoked when <see cref="Value"/> &gt; 0: 1 for a session; for a user, the stamp in Unix ms.</summary>
    private sealed record Entry(long Value, long CheckedAt, long Generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unreachable for the revocation list ({Failure})")]
    private static partial void LogLookupFailed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting access tokens without a revocation check while Redis is unreachable (known revocations still apply)")]
    private static partial void LogUnverified(ILogger logger);
}
