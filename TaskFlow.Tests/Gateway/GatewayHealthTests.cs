using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// API.md "Operations": the gateway's readiness is its own; a service without a healthy replica gets 503
/// problem+json with Retry-After on its routes only; public /health shows no internals, the management port does.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayHealthTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Public_health_is_the_status_alone_and_service_detail_is_on_the_management_port_only()
    {
        using var client = fixture.CreateGatewayClient();
        using var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()))
        {
            var property = Assert.Single(body.RootElement.EnumerateObject());
            Assert.Equal("status", property.Name);
            Assert.Contains(property.Value.GetString(), new[] { "Healthy", "Degraded" });
        }

        using var publicDetail = await client.GetAsync("/health/services");
        Assert.Equal(HttpStatusCode.NotFound, publicDetail.StatusCode);

        using var management = fixture.CreateClient("gateway", "management");
        var services = await ReadServicesAsync(management);
        Assert.Equal(["graph", "notifier", "tasks", "users", "web", "webhooks"], services.Keys.Order());
        Assert.All(services.Values, s => Assert.Equal("Healthy", s.GetProperty("status").GetString()));
        // Locally each service is one address (the app host's proxy in front of its replicas), in Kubernetes its Service.
        Assert.All(services.Values, s => Assert.True(s.GetProperty("available").GetInt32() >= 1));
        using var detailed = await management.GetAsync("/health");
        using var report = JsonDocument.Parse(await detailed.Content.ReadAsStringAsync());
        Assert.True(report.RootElement.GetProperty("entries").TryGetProperty("redis", out _));
    }

    [Fact]
    public async Task With_every_tasks_replica_stopped_tasks_is_503_with_retry_after_and_everything_else_works()
    {
        using var client = fixture.CreateGatewayClient();
        client.DefaultRequestHeaders.ConnectionClose = true; // spread over both gateway replicas
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var replicas = await fixture.GetReplicaIdsAsync("tasks", expected: 2);
        Assert.Equal(2, replicas.Count);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        try
        {
            foreach (var replica in replicas)
            {
                var result = await commands.ExecuteCommandAsync(replica, "resource-stop");
                Assert.True(result.Success, $"stopping {replica} failed: {result.Message}");
            }

            // The fault really happened: both replicas report a stopped state before anything is asserted.
            await WaitForStoppedAsync(replicas);

            // Each gateway replica notices through its own active probes (a few seconds); then /tasks is 503 there.
            HttpResponseMessage? unavailable = null;
            var answered503 = new HashSet<string?>();
            var seen = new List<int>();
            var noticed = await Distributed.DependencyHealthTests.EventuallyAsync(async () =>
            {
                var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/tasks", user.AccessToken);
                seen.Add((int)response.StatusCode);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    answered503.Add(response.Headers.Via.FirstOrDefault()?.ReceivedBy);
                    unavailable ??= response;
                    if (!ReferenceEquals(unavailable, response))
                    {
                        response.Dispose();
                    }
                }
                else
                {
                    response.Dispose();
                }

                return answered503.Count >= 2;
            }, TimeSpan.FromSeconds(90));
            Assert.True(noticed && unavailable is not null,
                $"/tasks answered 503 on {answered503.Count} of 2 gateway replicas with every Tasks replica stopped; answers: {string.Join(",", seen)}; " +
                await fixture.CreateClient("gateway", "management").GetStringAsync("/health/services"));
            using (unavailable)
            {
                await UsersApiClient.AssertProblemAsync(unavailable, HttpStatusCode.ServiceUnavailable);
                Assert.True(unavailable.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "503 without a positive Retry-After");
            }

            // Both gateway replicas agree, for writes too, and other services are untouched.
            for (var i = 0; i < 4; i++)
            {
                using var post = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Post, "/tasks", user.AccessToken, new { title = "nowhere to go" });
                await UsersApiClient.AssertProblemAsync(post, HttpStatusCode.ServiceUnavailable);
                Assert.NotNull(post.Headers.RetryAfter);
                using var me = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", user.AccessToken);
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
                using var notifications = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/notifications", user.AccessToken);
                Assert.Equal(HttpStatusCode.OK, notifications.StatusCode);
                using var health = await client.GetAsync("/health");
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            using var management = fixture.CreateClient("gateway", "management");
            var services = await ReadServicesAsync(management);
            Assert.Equal("Unhealthy", services["tasks"].GetProperty("status").GetString());
            Assert.Equal("Healthy", services["users"].GetProperty("status").GetString());
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await commands.ExecuteCommandAsync(replica, "resource-start");
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("tasks", timeout.Token);
        Assert.True(await Distributed.DependencyHealthTests.EventuallyAsync(async () =>
        {
            using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/tasks", user.AccessToken);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60)), "/tasks did not come back after the replicas started again");
        await GatewayTestSupport.WaitForRoutesHealthyAsync(fixture);
    }

    /// <summary>The fault really happened: every replica reports a stopped state before anything is asserted.</summary>
    private async Task WaitForStoppedAsync(IReadOnlyList<string> replicas)
    {
        var stopped = new HashSet<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await foreach (var e in fixture.App.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (replicas.Contains(e.ResourceId) && e.Snapshot.State?.Text is { } state &&
                    (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished))
                {
                    stopped.Add(e.ResourceId);
                    if (stopped.Count == replicas.Count)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"only {stopped.Count} of {replicas.Count} Tasks replicas reported stopped");
    }

    private static async Task<Dictionary<string, JsonElement>> ReadServicesAsync(HttpClient management)
    {
        using var response = await management.GetAsync("/health/services");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("service").GetString() ?? "", e => e.Clone());
    }
}
