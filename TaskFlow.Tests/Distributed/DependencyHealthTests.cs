using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.Tests.Users;
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
        // A fault test before this one may have left an optional dependency (Redis) reconnecting: start from Healthy.
        Assert.True(await EventuallyAsync(async () => await StatusAsync(client) == "Healthy", TimeSpan.FromSeconds(60)),
            $"{service} was not Healthy before {dependency} stopped");

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

    [Fact]
    public async Task Session_calls_while_redis_is_down_answer_503_problem_not_500()
    {
        using var users = fixture.CreateClient("users");
        var account = await UsersApiClient.RegisterAsync(users);

        await fixture.StopResourceAsync("redis");
        try
        {
            await fixture.AssertNotListeningAsync("redis");
            using var login = await users.PostAsJsonAsync("/users/login",
                new { email = account.Email, password = UsersApiClient.DefaultPassword });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.Equal("application/problem+json", login.Content.Headers.ContentType?.MediaType);
            Assert.True(login.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 says when to retry");
        }
        finally
        {
            await fixture.StartResourceAsync("redis");
        }

        // Leaves the shared app as the other tests expect it: both gateways back on their shared (Redis) counters.
        await Gateway.GatewayTestSupport.WaitForSharedCountersAsync(fixture);
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
