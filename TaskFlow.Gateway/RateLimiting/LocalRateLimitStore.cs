using TaskFlow.ServiceDefaults.Timing;

namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// This replica's own counters, with exactly the arithmetic of <see cref="RedisRateLimitStore"/>'s scripts: used while
/// Redis is unreachable, so limits (and the headers describing them) keep holding per replica.
/// </summary>
public sealed class LocalRateLimitStore(TimeProvider time)
{
    private static readonly long SweepEveryMilliseconds = (long)TimeSpan.FromSeconds(30).TotalMilliseconds;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly PeriodicGate _sweep = new();

    public int Count => _counters.Count;

    public RateLimitDecision Acquire(RateLimitPolicy policy, string key)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepExpired(now);
        var counter = _counters.GetOrAdd(policy.Name + ":" + key, static _ => new Counter());
        lock (counter)
        {
            return policy.Algorithm == RateLimitAlgorithm.FixedWindow
                ? counter.TakeFromWindow(policy, now)
                : counter.TakeFromBucket(policy, now);
        }
    }

    /// <summary>Forgets counters that are back to their initial state, so memory stays bounded by active clients.</summary>
    private void SweepExpired(long now)
    {
        if (!_sweep.TryPass(now, SweepEveryMilliseconds))
        {
            return;
        }

        foreach (var (key, counter) in _counters)
        {
            if (Volatile.Read(ref counter.ExpiresAt) <= now)
            {
                _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }
    }

    private sealed class Counter
    {
        public long ExpiresAt;
        private long _count;
        private long _windowEnd;
        private double _tokens = double.NaN;
        private long _updated;

        public RateLimitDecision TakeFromWindow(RateLimitPolicy policy, long now)
        {
            if (now >= _windowEnd)
            {
                _count = 0;
                _windowEnd = now + policy.WindowMilliseconds;
            }

            var reset = _windowEnd - now;
            Volatile.Write(ref ExpiresAt, _windowEnd);
            if (_count >= policy.Quota)
            {
                return new RateLimitDecision(false, 0, reset, reset);
            }

            _count++;
            return new RateLimitDecision(true, policy.Quota - _count, reset, _count >= policy.Quota ? reset : 0);
        }

        public RateLimitDecision TakeFromBucket(RateLimitPolicy policy, long now)
        {
            var rate = policy.TokensPerMillisecond;
            if (double.IsNaN(_tokens))
            {
                _tokens = policy.Quota;
                _updated = now;
            }

            if (now > _updated)
            {
                _tokens = Math.Min(policy.Quota, _tokens + ((now - _updated) * rate));
                _updated = now;
            }

            var allowed = _tokens >= 1;
            if (allowed)
            {
                _tokens -= 1;
            }

            // +1 ms: a client waiting exactly this long finds a whole token despite floating-point rounding.
            var wait = _tokens >= 1 ? 0 : (long)Math.Ceiling((1 - _tokens) / rate) + 1;
            var full = (long)Math.Ceiling((policy.Quota - _tokens) / rate);
            Volatile.Write(ref ExpiresAt, now + full);
            return new RateLimitDecision(allowed, (long)Math.Floor(_tokens), full, wait);
        }
    }
}
