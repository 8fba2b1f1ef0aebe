using System.Diagnostics;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// API.md "Sessions at the edge": after logout, refresh-token reuse or a role change, the affected access tokens get
/// 401 at the gateway (both replicas, every protected route) within a second, while other sessions keep working.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayRevocationTests(TaskFlowAppFixture fixture)
{
    private static readonly string[] ProtectedRoutes = ["/tasks", "/notifications"];

    [Fact]
    public async Task Logged_out_token_is_401_on_tasks_and_notifications_within_a_second_while_another_session_works()
    {
        using var client = fixture.CreateGatewayClient();
        client.DefaultRequestHeaders.ConnectionClose = true; // spread over both gateway replicas
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var otherSession = await UsersApiClient.LoginAsync(client, user.User.Email, user.Password);
        await AssertAcceptedEverywhereAsync(client, user.AccessToken);

        using (var logout = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Post, "/users/logout", user.AccessToken, new { }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await AssertRevokedWithinASecondAsync(client, user.AccessToken);
        await AssertAcceptedEverywhereAsync(client, otherSession.AccessToken);
    }

    [Fact]
    public async Task Refresh_token_reuse_revokes_every_access_token_of_the_session()
    {
        using var client = fixture.CreateGatewayClient();
        client.DefaultRequestHeaders.ConnectionClose = true; // spread over both gateway replicas
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var rotated = await UsersApiClient.RefreshAsync(client, user.Tokens.RefreshToken);
        await AssertAcceptedEverywhereAsync(client, rotated.AccessToken);

        using (var reuse = await client.PostAsJsonAsync("/users/refresh", new { refreshToken = user.Tokens.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        }

        await AssertRevokedWithinASecondAsync(client, rotated.AccessToken);
        await AssertRevokedWithinASecondAsync(client, user.AccessToken);
    }

    [Fact]
    public async Task Role_change_revokes_the_users_tokens_and_a_refresh_brings_the_new_roles()
    {
        using var client = fixture.CreateGatewayClient();
        client.DefaultRequestHeaders.ConnectionClose = true; // spread over both gateway replicas
        var admin = await UsersApiClient.LoginAsAdminAsync(fixture, client);
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var secondSession = await UsersApiClient.LoginAsync(client, user.User.Email, user.Password);
        await AssertAcceptedEverywhereAsync(client, user.AccessToken);

        using (var change = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Put, $"/users/{user.Id}/roles", admin.AccessToken, new { roles = new[] { "user", "admin" } }))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        }

        // Every token of the user, of every session, carried the old roles.
        await AssertRevokedWithinASecondAsync(client, user.AccessToken);
        await AssertRevokedWithinASecondAsync(client, secondSession.AccessToken);
        await AssertAcceptedEverywhereAsync(client, admin.AccessToken);

        // The refresh token still works and its access token, issued after the change, carries the new roles.
        var refreshed = await UsersApiClient.RefreshAsync(client, user.Tokens.RefreshToken);
        Assert.Equal(["admin", "user"], UsersApiClient.ReadRoles(refreshed.AccessToken).Order());
        await AssertAcceptedEverywhereAsync(client, refreshed.AccessToken);
    }

    /// <summary>Polls (no fixed sleep) until the token is refused, then checks the refusal on both replicas and routes.</summary>
    internal static async Task AssertRevokedWithinASecondAsync(HttpClient client, string accessToken)
    {
        foreach (var route in ProtectedRoutes)
        {
            var clock = Stopwatch.StartNew();
            HttpStatusCode status;
            do
            {
                using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, route, accessToken);
                status = response.StatusCode;
                if (status != HttpStatusCode.Unauthorized)
                {
                    // Gentle polling: a revoked token counts as anonymous, against the client IP's 60 a minute.
                    await Task.Delay(50);
                }
            }
            while (status != HttpStatusCode.Unauthorized && clock.Elapsed < TimeSpan.FromSeconds(1));

            Assert.True(status == HttpStatusCode.Unauthorized, $"{route} still answered {(int)status} a second after the revocation");
        }

        // Until both replicas refused it (the app host's proxy picks a replica per connection, not strictly in turn).
        var vias = new HashSet<string?>();
        for (var i = 0; i < 24 && (i < 4 || vias.Count < 2); i++)
        {
            using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, ProtectedRoutes[i % 2], accessToken);
            await UsersApiClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter?.Contains("error=\"invalid_token\"", StringComparison.Ordinal) == true);
            vias.Add(response.Headers.Via.FirstOrDefault()?.ReceivedBy);
        }

        Assert.True(vias.Count >= 2, "the revoked token reached only one gateway replica");
    }

    internal static async Task AssertAcceptedEverywhereAsync(HttpClient client, string accessToken)
    {
        foreach (var route in ProtectedRoutes.Concat(ProtectedRoutes))
        {
            using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, route, accessToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} answered {(int)response.StatusCode} to a valid token");
        }
    }
}
