using TaskFlow.Gateway.RateLimiting;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// The limiter's arithmetic on this replica's own counters (the Redis-down fallback; the Lua scripts do the same and
/// are covered through the running gateways): fields, Retry-After and t agree, and waiting Retry-After suffices.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RateLimitArithmeticTests
{
    private static readonly RateLimitPolicy Login = new("login", RateLimitAlgorithm.FixedWindow, 10, TimeSpan.FromMinutes(1));
    private static readonly RateLimitPolicy User = new("user", RateLimitAlgorithm.TokenBucket, 600, TimeSpan.FromMinutes(1));

    [Fact]
    public void Policy_fields_follow_the_draft_syntax()
    {
        Assert.Equal("\"login\";q=10;w=60", Login.PolicyHeader);
        Assert.Equal("\"user\";q=600;w=60", User.PolicyHeader);
    }

    [Fact]
    public void Fixed_window_counts_down_refuses_with_the_time_left_and_admits_again_after_exactly_that_long()
    {
        var clock = new ManualClock();
        var store = new LocalRateLimitStore(clock);
        for (var i = 1; i <= 10; i++)
        {
            var decision = store.Acquire(Login, "203.0.113.7");
            Assert.True(decision.Allowed);
            // Started at 0 s, a request every 1.5 s: t is what is left of the 60 s window, rounded up.
            Assert.Equal($"\"login\";r={10 - i};t={(long)Math.Ceiling(60 - (1.5 * (i - 1)))}", decision.Header(Login));
            clock.Advance(TimeSpan.FromMilliseconds(1500));
        }

        // 15 s used of the window: 45 s left, so Retry-After, t and the reset all say 45.
        var refused = store.Acquire(Login, "203.0.113.7");
        Assert.False(refused.Allowed);
        Assert.Equal(45, refused.RetryAfterSeconds);
        Assert.Equal("\"login\";r=0;t=45", refused.Header(Login));
        Assert.True(store.Acquire(Login, "198.51.100.1").Allowed, "another key has its own window");

        clock.Advance(TimeSpan.FromSeconds(refused.RetryAfterSeconds - 1));
        Assert.False(store.Acquire(Login, "203.0.113.7").Allowed);
        clock.Advance(TimeSpan.FromSeconds(1));
        var again = store.Acquire(Login, "203.0.113.7");
        Assert.True(again.Allowed);
        Assert.Equal("\"login\";r=9;t=60", again.Header(Login));
    }

    [Fact]
    public void Retry_after_rounds_up_and_is_never_zero()
    {
        var clock = new ManualClock();
        var store = new LocalRateLimitStore(clock);
        var tiny = new RateLimitPolicy("anonymous", RateLimitAlgorithm.FixedWindow, 1, TimeSpan.FromSeconds(1));
        Assert.True(store.Acquire(tiny, "k").Allowed);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var refused = store.Acquire(tiny, "k");
        Assert.False(refused.Allowed);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.Equal("\"anonymous\";r=0;t=1", refused.Header(tiny));
    }

    [Fact]
    public void Token_bucket_allows_a_burst_of_the_quota_then_one_token_per_tenth_of_a_second()
    {
        var clock = new ManualClock();
        var store = new LocalRateLimitStore(clock);
        for (var i = 1; i <= 600; i++)
        {
            var decision = store.Acquire(User, "u1");
            Assert.True(decision.Allowed);
            // t is 0 while a token is left, then the time to the next one.
            Assert.Equal(i < 600 ? $"\"user\";r={600 - i};t=0" : "\"user\";r=0;t=1", decision.Header(User));
        }

        var refused = store.Acquire(User, "u1");
        Assert.False(refused.Allowed);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.Equal("\"user\";r=0;t=1", refused.Header(User));

        clock.Advance(TimeSpan.FromSeconds(refused.RetryAfterSeconds));
        // Ten tokens came back in that second: ten more requests, then a refusal.
        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(store.Acquire(User, "u1").Allowed));
        Assert.False(store.Acquire(User, "u1").Allowed);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("\"user\";r=599;t=0", store.Acquire(User, "u1").Header(User));
    }

    [Fact]
    public void Counters_back_at_their_initial_state_are_forgotten()
    {
        var clock = new ManualClock();
        var store = new LocalRateLimitStore(clock);
        for (var i = 0; i < 50; i++)
        {
            store.Acquire(Login, $"client-{i}");
        }

        Assert.Equal(50, store.Count);
        clock.Advance(TimeSpan.FromMinutes(2));
        store.Acquire(Login, "late");
        Assert.Equal(1, store.Count);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
