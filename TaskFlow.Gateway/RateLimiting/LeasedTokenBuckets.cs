using TaskFlow.ServiceDefaults.Timing;

namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// Token buckets without a Redis round trip per request: this replica leases a batch of tokens from the shared bucket
/// in one script call (<see cref="RedisRateLimitStore.LeaseAsync"/>) and answers the following requests of that key
/// from the lease until it is spent or older than <see cref="GatewayRateLimitOptions.AuthenticatedLeaseLifetime"/>;
/// the next call gives the unspent rest of an expired lease back and takes a new one, in one script call. Concurrent
/// requests of one key share one call in flight (the others await it); no lock is held across an await.
/// <para>
/// Size rule: <c>take = max(1, min(MaxLease, floor(tokens / 16)))</c> of the shared bucket's tokens
/// (<see cref="RedisRateLimitStore.LeaseShareDivisor"/>), none when it holds less than one. Below 32 tokens every
/// request is one call with a lease of 1, so near the limit refusals are exactly those of one call per request: a
/// refusal happens only when the shared bucket holds less than one token.
/// </para>
/// <para>
/// Error bound across replicas: leased tokens leave the shared bucket, so all replicas together never allow more than
/// the bucket gives (quota + refill, exactly as without leases). A request can be refused while another replica still
/// holds unspent leased tokens: at most the sum of the other replicas' leases (each at most MaxLease and 1/16 of the
/// bucket when leased), for at most one lease lifetime plus the time until that replica next sees the key, when it
/// gives them back (a lease forgotten by the idle sweep is not given back; the refill restores it within MaxLease /
/// rate). Since a lease is at most 1/16 of the shared tokens, the others must spend 15 times that lease to empty the
/// bucket: a replica that gets at least a 15th of their share of that user's requests has spent its lease by then, so
/// early refusals need traffic split more unevenly than 15:1 between replicas. The <c>RateLimit</c> field's r is the shared bucket's tokens left at the lease, plus this lease's unspent
/// tokens, plus the other replicas' live leases at the lease (less the first token of each, spent when leased): it
/// overstates by what the other replicas spent of their leases since and ignores the refill since the lease, each at
/// most one lease's worth; with leases of 1 (fewer than 32 tokens left) it is exactly the shared bucket's count. A refusal says r=0 and an honest
/// Retry-After (from the shared bucket, as without leases).
/// </para>
/// </summary>
public sealed class LeasedTokenBuckets(RedisRateLimitStore shared, IOptions<GatewayRateLimitOptions> options, TimeProvider time)
{
    private static readonly long SweepEveryMilliseconds = (long)TimeSpan.FromSeconds(30).TotalMilliseconds;
    private readonly string _replica = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly int _maxLease = options.Value.AuthenticatedLeaseMaxTokens;
    private readonly TimeSpan _lifetime = options.Value.AuthenticatedLeaseLifetime;
    private readonly PeriodicGate _sweep = new();
    private long _scriptCalls;

    /// <summary>Lease script calls made so far (each one Redis round trip).</summary>
    public long ScriptCalls => Interlocked.Read(ref _scriptCalls);

    /// <summary>Keys with a lease held in memory.</summary>
    public int Count => _leases.Count;

    /// <summary>One token of <paramref name="key"/>'s bucket: from a live lease, or from a new one (one script call).</summary>
    public async ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string key)
    {
        var now = Now();
        SweepIdle(now);
        var lease = _leases.GetOrAdd(policy.Name + ":" + key, static _ => new Lease());
        while (true)
        {
            TaskCompletionSource<RateLimitDecision> refill;
            long giveBack;
            lock (lease)
            {
                lease.LastUsed = now;
                if (lease.TryTake(now) is { } taken)
                {
                    return taken;
                }

                if (lease.Refill is { } inFlight)
                {
                    refill = inFlight;
                    giveBack = -1;
                }
                else
                {
                    refill = lease.Refill = new TaskCompletionSource<RateLimitDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
                    giveBack = lease.ReleaseUnspent();
                }
            }

            if (giveBack < 0)
            {
                // Another request of this key is refilling: its refusal is this one's too; after a grant, take from it.
                var outcome = await refill.Task;
                if (!outcome.Allowed)
                {
                    return outcome;
                }

                now = Now();
                continue;
            }

            return await RefillAsync(policy, key, lease, refill, giveBack);
        }
    }

    /// <summary>A token of a live lease without calling Redis (while Redis is unreachable), or null when there is none.</summary>
    public RateLimitDecision? TryTakeFromLiveLease(RateLimitPolicy policy, string key)
    {
        if (!_leases.TryGetValue(policy.Name + ":" + key, out var lease))
        {
            return null;
        }

        lock (lease)
        {
            return lease.TryTake(Now());
        }
    }

    private async Task<RateLimitDecision> RefillAsync(RateLimitPolicy policy, string key, Lease lease, TaskCompletionSource<RateLimitDecision> refill, long giveBack)
    {
        TokenLeaseGrant grant;
        try
        {
            Interlocked.Increment(ref _scriptCalls);
            grant = await shared.LeaseAsync(policy, key, _replica, giveBack, _maxLease, _lifetime);
        }
        catch (Exception ex)
        {
            lock (lease)
            {
                lease.Refill = null;
            }

            // Unspent tokens stay pending: the next successful call gives them back.
            refill.SetException(ex);
            _ = refill.Task.Exception;
            throw;
        }

        RateLimitDecision decision;
        lock (lease)
        {
            var now = Now();
            lease.GivenBack(giveBack);
            lease.Install(grant, now, now + (long)_lifetime.TotalMilliseconds);
            decision = lease.TryTake(now) ?? new RateLimitDecision(false, 0, grant.FullMilliseconds, grant.WaitMilliseconds);
            lease.Refill = null;
        }

        refill.SetResult(decision);
        return decision;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Forgets leases of keys idle for a sweep interval, so memory stays bounded by active users.</summary>
    private void SweepIdle(long now)
    {
        if (!_sweep.TryPass(now, SweepEveryMilliseconds))
        {
            return;
        }

        foreach (var (key, lease) in _leases)
        {
            lock (lease)
            {
                if (lease.Refill is not null || lease.LastUsed + SweepEveryMilliseconds > now)
                {
                    continue;
                }
            }

            _leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
        }
    }

    /// <summary>One key's lease on this replica; every member is used under <c>lock (lease)</c>.</summary>
    private sealed class Lease
    {
        private long _size;
        private long _spent;
        private long _expiresAt;
        private long _leasedAt;
        private long _pendingGiveBack;
        private TokenLeaseGrant _grant;

        public TaskCompletionSource<RateLimitDecision>? Refill { get; set; }

        public long LastUsed { get; set; }

        public RateLimitDecision? TryTake(long now)
        {
            if (_spent >= _size || now >= _expiresAt)
            {
                return null;
            }

            _spent++;
            var elapsed = Math.Max(0, now - _leasedAt);
            var remaining = _grant.SharedTokens + (_size - _spent) + _grant.OtherLeases;
            var wait = remaining > 0 ? 0 : Math.Max(1, _grant.WaitMilliseconds - elapsed);
            return new RateLimitDecision(true, remaining, Math.Max(0, _grant.FullMilliseconds - elapsed), wait);
        }

        /// <summary>Ends the current lease; returns every unspent token not yet given back (this lease's and earlier ones').</summary>
        public long ReleaseUnspent()
        {
            _pendingGiveBack += _size - _spent;
            _size = 0;
            _spent = 0;
            return _pendingGiveBack;
        }

        public void GivenBack(long tokens) => _pendingGiveBack -= tokens;

        public void Install(TokenLeaseGrant grant, long now, long expiresAt)
        {
            _grant = grant;
            _size = grant.Taken;
            _spent = 0;
            _leasedAt = now;
            _expiresAt = expiresAt;
        }
    }
}
