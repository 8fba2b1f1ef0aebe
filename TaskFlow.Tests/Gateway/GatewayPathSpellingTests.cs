using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// API.md "Rate limits": a limit belongs to the route however its path is spelled, and <c>POST /users/login</c> is
/// limited per client IP whether or not the request carries a token. Sent over a raw socket, so each spelling reaches
/// the gateway exactly as written (HttpClient's Uri would remove the dot segments itself).
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayPathSpellingTests(TaskFlowAppFixture fixture)
{
    private const string WrongLogin = """{"email":"nobody@example.test","password":"wrong-password"}""";

    public static readonly string[] LoginSpellings =
    [
        "/users/login/", "/USERS/LOGIN", "/Users/Login/", "//users/login", "/users//login", "/users/login//",
        "/users/./login", "/x/../users/login", "/users/%6Cogin", "/users/%6c%6F%67%69%6e/",
        "/users%2Flogin", "/users/login%2F", "/users%5Clogin",
    ];

    [Fact]
    public async Task Once_the_login_budget_is_spent_no_spelling_of_the_login_path_checks_a_password_with_or_without_a_token()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var failures = new List<string>();
        foreach (var spelling in LoginSpellings)
        {
            // Each spelling from its own client IP, whose login budget the canonical path spends first.
            var ip = TaskFlowAppFixture.RandomClientIp();
            for (var i = 0; i < 10; i++)
            {
                var spent = await RawHttp.SendAsync(fixture, "POST", "/users/login", ip, WrongLogin);
                Assert.True(spent.Status == 401, $"login {i + 1} of the budget: {spent}");
            }

            foreach (var token in new[] { null, user.AccessToken })
            {
                var spelled = await RawHttp.SendAsync(fixture, "POST", spelling, ip, WrongLogin, token);
                // Limited as the login (429), or refused as an ambiguous spelling (400): never a password check (401).
                var limited = spelled.IsProblem(429) && (spelled.Header("RateLimit-Policy")?.Contains("\"login\"", StringComparison.Ordinal) ?? false)
                    && spelled.Header("Retry-After") is not null;
                if (!limited && !spelled.IsProblem(400))
                {
                    failures.Add($"POST {spelling} ({(token is null ? "no token" : "bearer")}): {spelled.Status} {spelled.Header("RateLimit-Policy")}");
                }
            }
        }

        Assert.True(failures.Count == 0, "spellings that side-stepped the login limit:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Forty_wrong_passwords_with_a_trailing_slash_and_a_bearer_token_are_limited_after_ten()
    {
        await GatewayTestSupport.WaitForSharedCountersAsync(fixture);
        using var client = fixture.CreateGatewayClient();
        var attacker = await UsersApiClient.RegisterAndLoginAsync(client);
        var victim = await UsersApiClient.RegisterAsync(client);
        var ip = TaskFlowAppFixture.RandomClientIp();
        var statuses = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            var attempt = await RawHttp.SendAsync(fixture, "POST", "/users/login/", ip,
                $$"""{"email":"{{victim.Email}}","password":"guess-{{i}}-wrong"}""", attacker.AccessToken);
            statuses.Add(attempt.Status);
        }

        Assert.True(statuses.Take(10).All(s => s == 401), string.Join(",", statuses));
        Assert.True(statuses.Skip(10).All(s => s == 429), $"after 10 attempts every one must be 429: {string.Join(",", statuses)}");
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("//metrics")]
    [InlineData("/metrics/")]
    [InlineData("/METRICS")]
    [InlineData("//alive")]
    [InlineData("/alive/")]
    [InlineData("//health/services")]
    [InlineData("/health//services")]
    [InlineData("/HEALTH/SERVICES/")]
    public async Task Management_endpoints_are_not_served_on_the_public_port_however_spelled(string spelling)
    {
        var response = await RawHttp.SendAsync(fixture, "GET", spelling, TaskFlowAppFixture.RandomClientIp());
        Assert.True(response.Status is 404 or 400 or 401, $"GET {spelling} on the public port: {response}");
        Assert.DoesNotContain("# TYPE", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("destinations", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tasks/")]
    [InlineData("//tasks")]
    [InlineData("/TASKS")]
    [InlineData("/users/me/")]
    [InlineData("/users//me")]
    [InlineData("/notifications/")]
    [InlineData("/graphql/schema/")]
    [InlineData("/assets/../users/me")]
    [InlineData("/assets/%2e%2e/users/me")]
    [InlineData("/assets/..%2Fusers/me")]
    public async Task Protected_routes_need_a_token_however_spelled(string spelling)
    {
        var response = await RawHttp.SendAsync(fixture, "GET", spelling, TaskFlowAppFixture.RandomClientIp());
        Assert.True(response.IsProblem(401) || response.IsProblem(400), $"GET {spelling} without a token: {response}");
    }

    [Fact]
    public async Task A_canonical_spelling_is_what_the_service_behind_sees()
    {
        using var client = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var response = await RawHttp.SendAsync(fixture, "GET", "//users//me/", TaskFlowAppFixture.RandomClientIp(), token: user.AccessToken);
        Assert.True(response.Status == 200, response.ToString());
        Assert.Contains(user.User.Email, response.Body, StringComparison.Ordinal);
        Assert.Contains("\"user\"", response.Header("RateLimit-Policy"), StringComparison.Ordinal);
    }
}
