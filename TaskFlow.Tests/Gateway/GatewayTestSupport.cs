using System.Text.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Gateway;

internal static class GatewayTestSupport
{
    /// <summary>
    /// Another test of this collection may have stopped Redis; counts then sit in per-replica fallback counters for
    /// a few seconds. Tests of the shared counters start once the gateway's Redis is healthy and that window passed.
    /// </summary>
    public static async Task WaitForSharedCountersAsync(TaskFlowAppFixture fixture)
    {
        await WaitForRoutesHealthyAsync(fixture);
        using var management = fixture.CreateClient("gateway", "management");
        var healthy = await Distributed.DependencyHealthTests.EventuallyAsync(async () =>
        {
            using var response = await management.GetAsync("/health");
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return report.RootElement.GetProperty("entries").GetProperty("redis").GetProperty("status").GetString() == "Healthy";
        }, TimeSpan.FromSeconds(60));
        Assert.True(healthy, "the gateway's Redis never became healthy");
        await Task.Delay(TimeSpan.FromSeconds(6));
    }

    /// <summary>
    /// After a fault test: every routed service is available again on both gateway replicas (their active probes see a
    /// recovered service within one interval), so the next test does not meet a 503 left over from this one.
    /// </summary>
    public static async Task WaitForRoutesHealthyAsync(TaskFlowAppFixture fixture)
    {
        using var management = fixture.CreateClient("gateway", "management");
        management.DefaultRequestHeaders.ConnectionClose = true;
        var consecutive = 0;
        var healthy = await Distributed.DependencyHealthTests.EventuallyAsync(async () =>
        {
            using var response = await management.GetAsync("/health/services");
            using var services = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var all = services.RootElement.EnumerateArray().All(s => s.GetProperty("destinations").EnumerateArray()
                .All(d => d.GetProperty("active").GetString() != "Unhealthy" && d.GetProperty("passive").GetString() != "Unhealthy"));
            consecutive = all ? consecutive + 1 : 0;
            return consecutive >= 4;
        }, TimeSpan.FromSeconds(90));
        Assert.True(healthy, "the gateway did not see every service healthy again");
    }
}
