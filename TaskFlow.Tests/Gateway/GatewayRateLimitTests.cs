using System.Net.Http.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Gateway;

[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayRateLimitTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Eleventh_login_in_a_minute_from_one_ip_is_429_with_retry_after()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        for (var i = 0; i < 10; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/users/login", new { email = $"nobody{i}@example.com", password = "wrong-password" });
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var limited = await client.PostAsJsonAsync("/users/login", new { email = "nobody@example.com", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        await GatewayEdgeTests.AssertProblemAsync(limited, 429);

        // Another client IP has its own budget.
        using var other = fixture.CreateGatewayClient();
        using var fresh = await other.PostAsJsonAsync("/users/login", new { email = "nobody@example.com", password = "wrong-password" });
        Assert.NotEqual(HttpStatusCode.TooManyRequests, fresh.StatusCode);
    }

    [Fact]
    public async Task Sixty_first_anonymous_request_in_a_minute_from_one_ip_is_429()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 61; i++)
        {
            using var response = await client.GetAsync("/openapi/users.json");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.Take(60), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[60]);
    }

    [Fact]
    public async Task Limits_still_hold_per_replica_when_redis_is_unreachable()
    {
        await fixture.StopResourceAsync("redis");
        try
        {
            // Confirm the outage before relying on it: Redis refuses connections and the gateway knows it.
            await fixture.AssertNotListeningAsync("redis");
            Assert.True(await GatewayRedisStatusBecomesAsync("Degraded"), "the gateway never reported Redis as Degraded while it was stopped");

            using var client = fixture.CreateGatewayClient();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 11; i++)
            {
                using var response = await client.PostAsJsonAsync("/users/login", new { email = "x@example.com", password = "wrong-password" });
                statuses.Add(response.StatusCode);
            }

            // No 500s: the gateway falls back to its own in-memory counters, so the 11th is still refused.
            Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        }
        finally
        {
            await fixture.StartResourceAsync("redis");
        }
    }

    /// <summary>Whether the gateway's management /health reports its Redis entry with <paramref name="status"/> within 60 s.</summary>
    private async Task<bool> GatewayRedisStatusBecomesAsync(string status)
    {
        using var management = fixture.CreateClient("gateway", "management");
        return await Distributed.DependencyHealthTests.EventuallyAsync(async () =>
        {
            using var response = await management.GetAsync("/health");
            using var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return report.RootElement.GetProperty("entries").GetProperty("redis").GetProperty("status").GetString() == status;
        }, TimeSpan.FromSeconds(60));
    }
}
