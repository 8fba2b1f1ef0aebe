using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using static TaskFlow.Tests.Users.UsersApiClient;

namespace TaskFlow.Tests.Users;

/// <summary>
/// The "done when", through the public gateway: the gateway validates Users' tokens itself with the standard
/// JwtBearer handler (JWKS via service discovery), and Users validates them again.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class UsersThroughGatewayTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Register_login_me_refresh_logout_through_the_gateway_and_the_old_tokens_stop_working()
    {
        using var gateway = fixture.CreateGatewayClient();
        var user = await RegisterAsync(gateway, displayName: "Via Gateway");
        var tokens = await LoginAsync(gateway, user.Email, DefaultPassword);

        using (var me = await SendAuthorizedAsync(gateway, HttpMethod.Get, "/users/me", tokens.AccessToken))
        {
            await EnsureStatusAsync(me, HttpStatusCode.OK);
            Assert.Equal(user.Id, (await me.Content.ReadFromJsonAsync<UserDto>())?.Id);
        }

        var refreshed = await RefreshAsync(gateway, tokens.RefreshToken);
        using (var oldRefresh = await gateway.PostAsJsonAsync("/users/refresh", new { refreshToken = tokens.RefreshToken }))
        {
            await AssertProblemAsync(oldRefresh, HttpStatusCode.Unauthorized);
        }

        // The reuse above revoked that session; a new login gives a new one to log out of.
        var session = await LoginAsync(gateway, user.Email, DefaultPassword);
        using (var logout = await SendAuthorizedAsync(gateway, HttpMethod.Post, "/users/logout", session.AccessToken, new { refreshToken = session.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using (var afterLogout = await gateway.PostAsJsonAsync("/users/refresh", new { refreshToken = session.RefreshToken }))
        {
            await AssertProblemAsync(afterLogout, HttpStatusCode.Unauthorized);
        }

        using var me2 = await SendAuthorizedAsync(gateway, HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me2.StatusCode);
        using var me3 = await SendAuthorizedAsync(gateway, HttpMethod.Get, "/users/me", refreshed.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me3.StatusCode);
    }

    [Fact]
    public async Task OAuth2_form_login_works_through_the_gateway()
    {
        using var gateway = fixture.CreateGatewayClient();
        var user = await RegisterAsync(gateway);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = user.Email,
            ["password"] = DefaultPassword,
        });
        using var response = await gateway.PostAsync("/users/login", form);
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var accessToken = json.RootElement.GetProperty("access_token").GetString() ?? "";

        using var me = await SendAuthorizedAsync(gateway, HttpMethod.Get, "/users/me", accessToken);
        await EnsureStatusAsync(me, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Gateway_rejects_a_missing_or_tampered_token_with_401()
    {
        using var gateway = fixture.CreateGatewayClient();
        var ada = await RegisterAndLoginAsync(gateway);
        var parts = ada.AccessToken.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}x.{parts[2]}";

        using var none = await gateway.GetAsync("/users/me");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains(none.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

        using var bad = await SendAuthorizedAsync(gateway, HttpMethod.Get, "/users/me", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_are_the_same_401_through_the_gateway()
    {
        using var gateway = fixture.CreateGatewayClient();
        var user = await RegisterAsync(gateway);
        using var wrong = await gateway.PostAsJsonAsync("/users/login", new { email = user.Email, password = "not the password" });
        using var unknown = await gateway.PostAsJsonAsync("/users/login", new { email = NewEmail("ghost"), password = "not the password" });
        var wrongProblem = await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);
        var unknownProblem = await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized);
        Assert.Equal(wrongProblem.GetProperty("title").GetString(), unknownProblem.GetProperty("title").GetString());
        Assert.Equal(wrongProblem.GetProperty("detail").GetString(), unknownProblem.GetProperty("detail").GetString());
    }
}
