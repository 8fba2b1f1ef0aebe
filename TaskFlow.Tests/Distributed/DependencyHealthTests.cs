using System.Text.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Distributed;

/// <summary>Stopping a backing resource (as the dashboard's Stop does) turns its dependents unhealthy; starting it recovers them without a restart.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class DependencyHealthTests(TaskFlowAppFixture fixture)
{
    [Theory]
    [InlineData("postgres", "notifier")]
    [InlineData("redis", "users")]
    public async Task Stopped_dependency_makes_service_unhealthy_and_start_recovers_it(string dependency, string service)
    {
        using var client = fixture.CreateClient(service);
        Assert.Equal("Healthy", await StatusAsync(client));

        await fixture.StopResourceAsync(dependency);
        try
        {
            Assert.True(await EventuallyAsync(async () => await StatusAsync(client) == "Unhealthy", TimeSpan.FromSeconds(60)),
                $"{service} did not report Unhealthy after {dependency} stopped");
        }
        finally
        {
            await fixture.StartResourceAsync(dependency);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(dependency, timeout.Token);
        Assert.True(await EventuallyAsync(async () => await StatusAsync(client) == "Healthy", TimeSpan.FromSeconds(60)),
            $"{service} did not recover after {dependency} started again");
    }

    private static async Task<string?> StatusAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("/health");
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return report.RootElement.GetProperty("status").GetString();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            return null;
        }
    }

    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }
}
