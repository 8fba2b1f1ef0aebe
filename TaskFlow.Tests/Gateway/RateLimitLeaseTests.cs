using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TaskFlow.Gateway.RateLimiting;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using Xunit.Abstractions;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// Issue 27: the per-user token bucket leases batches of tokens from the shared Redis bucket instead of one script call
/// per request, and the cluster-wide limit still holds. Against the app host's Redis; each replica is a
/// <see cref="LeasedTokenBuckets"/> of its own with a clock of its own (leases expire only when a test moves it).
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class RateLimitLeaseTests(TaskFlowAppFixture fixture, ITestOutputHelper output)
{
    private const int MaxLease = 50;

    /// <summary>A bucket so large that every lease is the full 50, refilled so slowly (0.04 token/s) that a test never sees a whole refilled token.</summary>
    private static readonly RateLimitPolicy Large = new("lease-test", RateLimitAlgorithm.TokenBucket, 100_000, TimeSpan.FromDays(30));

    /// <summary>A bucket emptied in a test: leases of 50 down to 800 tokens, then 1/16 of what is left, then 1.</summary>
    private static readonly RateLimitPolicy Drained = new("lease-test", RateLimitAlgorithm.TokenBucket, 2000, TimeSpan.FromDays(30));

    [Fact]
    public async Task Authenticated_requests_through_the_gateway_cost_far_fewer_redis_script_calls_than_requests()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        await using var redis = await ConnectAsync();

        const int requests = 200;
        var before = await ScriptCallsAsync(redis);
        for (var batch = 0; batch < requests / 20; batch++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/notifications?limit=1")));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Array.ForEach(responses, r => r.Dispose());
        }

        var calls = await ScriptCallsAsync(redis) - before;
        output.WriteLine($"{requests} authenticated requests through the gateway: {calls} EVAL/EVALSHA calls in Redis");
        // One call per request before leases (200 or more); leases of up to 50 tokens on each of two replicas: a handful.
        Assert.True(calls < requests / 4, $"{requests} requests made {calls} Redis script calls");
    }

    [Fact]
    public async Task Two_replicas_on_one_bucket_allow_exactly_the_quota_in_total_with_far_fewer_calls()
    {
        await using var redis = await ConnectAsync();
        var (a, b) = (Replica(redis), Replica(redis));
        var key = Guid.NewGuid().ToString("N");
        var allowed = 0;
        var refusedInARow = 0;
        var firstRefusalAfter = -1;
        for (var round = 0; round < 400 && refusedInARow < 2; round++)
        {
            // Ten concurrent requests on each replica per round, until both refuse a whole round.
            var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).AcquireAsync(Drained, key).AsTask()));
            var granted = decisions.Count(d => d.Allowed);
            if (granted < decisions.Length && firstRefusalAfter < 0)
            {
                firstRefusalAfter = allowed + decisions.TakeWhile(d => d.Allowed).Count();
            }

            allowed += granted;
            refusedInARow = granted == 0 ? refusedInARow + 1 : 0;
            Assert.All(decisions.Where(d => !d.Allowed), d => Assert.Equal(0, d.Remaining));
        }

        output.WriteLine($"{allowed} requests allowed over two replicas with {a.ScriptCalls} + {b.ScriptCalls} script calls, the first refusal after {firstRefusalAfter}");
        Assert.Equal(Drained.Quota, allowed);
        // Traffic split evenly: neither replica is left holding leased tokens when the other finds the bucket empty.
        Assert.Equal(Drained.Quota, firstRefusalAfter);
        Assert.True(a.ScriptCalls + b.ScriptCalls < Drained.Quota / 10, $"{a.ScriptCalls} + {b.ScriptCalls} script calls for {Drained.Quota} tokens");
    }

    [Fact]
    public async Task Concurrent_requests_of_one_user_on_one_replica_make_one_call_per_lease()
    {
        await using var redis = await ConnectAsync();
        var replica = Replica(redis);
        var key = Guid.NewGuid().ToString("N");
        var decisions = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(() => replica.AcquireAsync(Large, key).AsTask())));

        Assert.All(decisions, d => Assert.True(d.Allowed));
        // Every lease is the full 50 (the bucket holds far more), and a new call starts only when one is spent.
        Assert.Equal(500 / MaxLease, replica.ScriptCalls);
        Assert.Equal(Large.Quota - 500, decisions.Min(d => d.Remaining));
    }

    [Fact]
    public async Task A_small_quota_counts_down_and_refuses_exactly_at_the_limit_across_replicas()
    {
        await using var redis = await ConnectAsync();
        var (a, b) = (Replica(redis), Replica(redis));
        var small = new RateLimitPolicy("lease-test", RateLimitAlgorithm.TokenBucket, 5, TimeSpan.FromSeconds(50));
        var key = Guid.NewGuid().ToString("N");
        for (var i = 1; i <= 5; i++)
        {
            var decision = await (i % 2 == 0 ? b : a).AcquireAsync(small, key);
            Assert.True(decision.Allowed, $"request {i}");
            // Fewer than 32 tokens: leases of 1, one call per request, r exactly the shared bucket's count as before.
            Assert.Equal(5 - i, decision.Remaining);
        }

        foreach (var replica in new[] { a, b })
        {
            var refused = await replica.AcquireAsync(small, key);
            Assert.False(refused.Allowed);
            Assert.Equal("\"lease-test\";r=0;t=10", refused.Header(small));
            Assert.Equal(10, refused.RetryAfterSeconds);
        }

        Assert.Equal(7, a.ScriptCalls + b.ScriptCalls);
    }

    [Fact]
    public async Task An_expired_lease_gives_its_unspent_tokens_back_with_the_next_call()
    {
        await using var redis = await ConnectAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var replica = Replica(redis, clock);
        var other = Replica(redis);
        var key = Guid.NewGuid().ToString("N");

        Assert.Equal(Large.Quota - 1, (await replica.AcquireAsync(Large, key)).Remaining);
        Assert.Equal(Large.Quota - MaxLease, await SharedTokensAsync(redis, key));
        // Another replica sees the 49 tokens this one still holds: r is the whole bucket's, 1000 - 2.
        Assert.Equal(Large.Quota - 2, (await other.AcquireAsync(Large, key)).Remaining);
        Assert.Equal(Large.Quota - (2 * MaxLease), await SharedTokensAsync(redis, key));

        // While the lease lives it answers without Redis (what the gateway does while Redis is unreachable).
        Assert.True(replica.TryTakeFromLiveLease(Large, key) is { Allowed: true });
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(replica.TryTakeFromLiveLease(Large, key));

        // The next call gives back the 48 unspent tokens and takes a new lease of 50, in one call.
        var next = await replica.AcquireAsync(Large, key);
        Assert.True(next.Allowed);
        Assert.Equal(2, replica.ScriptCalls);
        Assert.Equal(Large.Quota - (2 * MaxLease) + (MaxLease - 2) - MaxLease, await SharedTokensAsync(redis, key));
    }

    [Fact]
    public async Task Leases_of_idle_keys_are_forgotten()
    {
        await using var redis = await ConnectAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var replica = Replica(redis, clock);
        for (var i = 0; i < 20; i++)
        {
            await replica.AcquireAsync(Large, Guid.NewGuid().ToString("N"));
        }

        Assert.Equal(20, replica.Count);
        clock.Advance(TimeSpan.FromMinutes(2));
        await replica.AcquireAsync(Large, Guid.NewGuid().ToString("N"));
        Assert.Equal(1, replica.Count);
    }

    private static LeasedTokenBuckets Replica(IConnectionMultiplexer redis, TimeProvider? clock = null) =>
        new(new RedisRateLimitStore(redis),
            Options.Create(new GatewayRateLimitOptions { AuthenticatedLeaseMaxTokens = MaxLease, AuthenticatedLeaseLifetime = TimeSpan.FromSeconds(1) }),
            clock ?? new FakeTimeProvider(DateTimeOffset.UtcNow));

    private static async Task<long> SharedTokensAsync(IConnectionMultiplexer redis, string key) =>
        (long)Math.Floor((double)await redis.GetDatabase().HashGetAsync(RedisRateLimitStore.KeyPrefix + Large.Name + ":" + key, "t"));

    /// <summary>EVAL and EVALSHA calls Redis has served (INFO commandstats), from every client.</summary>
    private static async Task<long> ScriptCallsAsync(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers()[0];
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        return new[] { "cmdstat_eval", "cmdstat_evalsha" }
            .Sum(name => stats.TryGetValue(name, out var value) ? long.Parse(value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture) : 0);
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync((await fixture.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("no redis")) + ",allowAdmin=true");
}
