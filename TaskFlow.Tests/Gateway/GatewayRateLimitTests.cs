using System.Net.Http.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Gateway;

[Collection(DistributedAppCollection.Name)]
public sealed class GatewayRateLimitTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Eleventh_login_in_a_minute_from_one_ip_is_429_with_retry_after()
    {
        await WaitForSharedCountersAsync();
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
        await WaitForSharedCountersAsync();
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
        await fixture.ExecuteCommandAsync("redis", "resource-stop");
        try
        {
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
            await fixture.ExecuteCommandAsync("redis", "resource-start");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("redis", timeout.Token);
        }
    }

    /// <summary>
    /// Another test of this collection may have stopped Redis; counts then sit in per-replica fallback counters for
    /// a few seconds. These tests measure the shared counters, so they start once the gateway's Redis is healthy
    /// and its fallback window has passed.
    /// </summary>
    private async Task WaitForSharedCountersAsync()
    {
        using var management = fixture.CreateClient("gateway", "management");
        var healthy = await Distributed.DependencyHealthTests.EventuallyAsync(async () =>
        {
            using var response = await management.GetAsync("/health");
            using var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return report.RootElement.GetProperty("entries").GetProperty("redis").GetProperty("status").GetString() == "Healthy";
        }, TimeSpan.FromSeconds(60));
        Assert.True(healthy, "the gateway's Redis never became healthy");
        await Task.Delay(TimeSpan.FromSeconds(6));
    }
}
