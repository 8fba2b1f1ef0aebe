using System.Net.Http.Headers;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// Whom the gateway believes: X-Forwarded-For only from configured proxies; and what it does while Redis is down
/// (limits and their fields from the replica's own counters; known revocations still apply, others fail open).
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayTrustTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task X_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        var spoofed = TaskFlowAppFixture.RandomClientIp();
        // Through the trusted loopback proxy (127.0.0.1) the header names the client: one login counted for it.
        using var trusted = fixture.CreateGatewayClient(spoofed);
        using (var first = await trusted.PostAsJsonAsync("/users/login", new { email = "nobody@example.com", password = "wrong-password" }))
        {
            Assert.Equal(9, RateLimitFields.Read(first).Remaining);
        }

        // Straight to a gateway replica over IPv6 loopback (::1, not a trusted proxy): the same header is ignored, so
        // the login counts for ::1, not for the spoofed address.
        using var direct = new HttpClient { BaseAddress = new Uri($"http://[::1]:{await GatewayReplicaPortAsync()}") };
        direct.DefaultRequestHeaders.Add("X-Forwarded-For", spoofed);
        using (var untrusted = await direct.PostAsJsonAsync("/users/login", new { email = "nobody@example.com", password = "wrong-password" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, untrusted.StatusCode);
            Assert.Equal(9, RateLimitFields.Read(untrusted).Remaining);
        }

        using var second = await trusted.PostAsJsonAsync("/users/login", new { email = "nobody@example.com", password = "wrong-password" });
        Assert.Equal(8, RateLimitFields.Read(second).Remaining);
    }

    [Fact]
    public async Task With_redis_down_fields_describe_each_replicas_own_counters_and_known_revocations_still_apply()
    {
        using var client = fixture.CreateGatewayClient();
        client.DefaultRequestHeaders.ConnectionClose = true; // spread over both gateway replicas
        var revoked = await UsersApiClient.RegisterAndLoginAsync(client);
        var active = await UsersApiClient.RegisterAndLoginAsync(client);
        using (var logout = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Post, "/users/logout", revoked.AccessToken, new { }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await GatewayRevocationTests.AssertRevokedWithinASecondAsync(client, revoked.AccessToken);
        await GatewayRevocationTests.AssertAcceptedEverywhereAsync(client, active.AccessToken);

        // The fixture checks the command's result and waits until Redis has really exited (so the restart below
        // never races a Redis still shutting down on its port).
        await fixture.StopResourceAsync("redis");
        try
        {
            using var management = fixture.CreateClient("gateway", "management");
            Assert.True(await Distributed.DependencyHealthTests.EventuallyAsync(async () =>
            {
                using var response = await management.GetAsync("/health");
                return (await response.Content.ReadAsStringAsync()).Contains("\"Degraded\"", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(60)), "the gateway never noticed Redis was down");

            // Ready (200) and Degraded, never unready: a Redis outage must not take the gateway out of rotation.
            using (var health = await client.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Contains(await health.Content.ReadAsStringAsync(), new[] { "{\"status\":\"Degraded\"}", "{\"status\":\"Healthy\"}" });
            }

            // Each replica counts alone now, and its fields say so: per replica 9, 8, 7, ...
            using var anonymous = fixture.CreateGatewayClient();
            anonymous.DefaultRequestHeaders.ConnectionClose = true;
            var byReplica = new Dictionary<string, List<long>>();
            // At most 10 (one replica's quota), at least 6, and until both replicas answered.
            for (var i = 0; i < 10 && (i < 6 || byReplica.Count < 2); i++)
            {
                using var response = await anonymous.PostAsJsonAsync("/users/login", new { email = "x@example.com", password = "wrong-password" });
                Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
                var fields = RateLimitFields.Read(response);
                Assert.Equal("login", fields.Policy);
                Assert.NotNull(fields.Via);
                if (!byReplica.TryGetValue(fields.Via, out var remaining))
                {
                    byReplica[fields.Via] = remaining = [];
                }

                remaining.Add(fields.Remaining);
            }

            Assert.Equal(2, byReplica.Count);
            Assert.All(byReplica.Values, remaining => Assert.Equal(Enumerable.Range(0, remaining.Count).Select(k => 9L - k), remaining));

            // Revocation: what is known stays revoked; what cannot be checked is accepted (fail open, see README).
            for (var i = 0; i < 4; i++)
            {
                using var refused = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/notifications", revoked.AccessToken);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                using var accepted = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/notifications", active.AccessToken);
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            }
        }
        finally
        {
            await fixture.StartResourceAsync("redis");
        }
    }

    /// <summary>The port one gateway replica itself listens on (behind the app host's proxy), from its environment.</summary>
    private async Task<int> GatewayReplicaPortAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in fixture.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (e.Resource.Name != "gateway" || e.Snapshot.State?.Text != KnownResourceStates.Running)
            {
                continue;
            }

            var urls = e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value;
            var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (first is not null && Uri.TryCreate(first.Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return uri.Port;
            }
        }

        throw new InvalidOperationException("no running gateway replica exposes ASPNETCORE_URLS");
    }
}
