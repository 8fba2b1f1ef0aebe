using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Gateway;

/// <summary>What the gateway itself does before anything reaches a service.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayEdgeTests(TaskFlowAppFixture fixture)
{
    [Theory]
    [InlineData("/tasks")]
    [InlineData("/tasks/6a8d0f6e-2c55-4a8e-9d61-5a4c1b8f0e11")]
    [InlineData("/notifications")]
    [InlineData("/users/me")]
    public async Task Protected_route_without_token_is_401_problem_with_bearer_challenge(string path)
    {
        using var client = fixture.CreateGatewayClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        await AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task Garbage_and_unsigned_tokens_are_401_at_the_gateway()
    {
        using var client = fixture.CreateGatewayClient();
        // alg "none" token with a plausible payload, and plain garbage.
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64Url($$"""{"sub":"{{Guid.NewGuid()}}","iss":"taskflow-users","aud":"taskflow-api","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""");
        foreach (var token in new[] { $"{header}.{payload}.", "not-a-token" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await AssertProblemAsync(response, 401);
        }
    }

    [Fact]
    public async Task Body_over_one_MiB_is_413_problem()
    {
        using var client = fixture.CreateGatewayClient();
        var big = new string('x', 1024 * 1024 + 10);
        using var content = new StringContent($$"""{"email":"a@b.c","password":"{{big}}","displayName":"x"}""", Encoding.UTF8, "application/json");
        // As a careful client does: the gateway refuses on the declared length before the body is sent, so the
        // client never writes into a connection the server has already answered and closed (a reset, not a 413).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users/register") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertProblemAsync(response, 413);
    }

    [Fact]
    public async Task Chunked_body_over_one_MiB_is_413_problem()
    {
        using var client = fixture.CreateGatewayClient();
        var big = Encoding.UTF8.GetBytes(new string('x', 1024 * 1024 + 10));
        using var content = new StreamContent(new MemoryStream(big));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users/register") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Request_id_is_echoed_when_well_formed_and_created_otherwise()
    {
        using var client = fixture.CreateGatewayClient();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/tasks"))
        {
            request.Headers.Add("X-Request-Id", "client-req-42");
            using var response = await client.SendAsync(request);
            Assert.Equal("client-req-42", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/tasks"))
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", "bad id\twith spaces");
            using var response = await client.SendAsync(request);
            var created = Assert.Single(response.Headers.GetValues("X-Request-Id"));
            Assert.NotEqual("bad id\twith spaces", created);
            Assert.Equal(32, created.Length);
        }
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_a_trace()
    {
        using var client = fixture.CreateGatewayClient();
        using var response = await client.GetAsync("/tasks");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
        var body = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(body);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", problem.RootElement.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Cors_preflight_allows_configured_origin_only()
    {
        using var client = fixture.CreateGatewayClient();
        using (var request = new HttpRequestMessage(HttpMethod.Options, "/tasks"))
        {
            request.Headers.Add("Origin", "http://localhost:5173");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
            using var response = await client.SendAsync(request);
            Assert.Equal("http://localhost:5173", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
            var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers"));
            Assert.Contains("Idempotency-Key", allowed, StringComparison.OrdinalIgnoreCase);
        }

        // A browser client can read the headers it needs: replays, rate-limit state, ETag.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/tasks"))
        {
            request.Headers.Add("Origin", "http://localhost:5173");
            using var response = await client.SendAsync(request);
            var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
            foreach (var header in new[] { "Idempotent-Replayed", "RateLimit", "RateLimit-Policy", "Retry-After", "ETag" })
            {
                Assert.Contains(header, exposed.Split(','), StringComparer.OrdinalIgnoreCase);
            }
        }

        using (var request = new HttpRequestMessage(HttpMethod.Options, "/tasks"))
        {
            request.Headers.Add("Origin", "http://evil.example");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            using var response = await client.SendAsync(request);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task Docs_ui_and_every_openapi_document_are_served_with_security_schemes()
    {
        using var client = fixture.CreateGatewayClient();
        using var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType?.MediaType);
        // The UI's script is served by the gateway itself (no CDN: clients may have no internet, and the CSP says 'self').
        var html = await docs.Content.ReadAsStringAsync();
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), "the docs page loads no script");
        Assert.DoesNotContain("://", script);
        using var scriptResponse = await client.GetAsync(new Uri(new Uri(client.BaseAddress!, "/docs/"), script));
        Assert.Equal(HttpStatusCode.OK, scriptResponse.StatusCode);
        Assert.True((await scriptResponse.Content.ReadAsByteArrayAsync()).Length > 10_000, "the docs script is suspiciously small");

        foreach (var service in new[] { "users", "tasks", "notifications" })
        {
            using var response = await client.GetAsync($"/openapi/{service}.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
            Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
            Assert.Equal("/users/login", schemes.GetProperty("OAuth2").GetProperty("flows").GetProperty("password").GetProperty("tokenUrl").GetString());
        }
    }

    [Fact]
    public async Task Public_port_hides_alive_and_metrics_which_the_management_port_serves()
    {
        using var client = fixture.CreateGatewayClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);

        using var management = fixture.CreateClient("gateway", "management");
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/alive")).StatusCode);
        using var metrics = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/tasks")).StatusCode);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.TryGetProperty("title", out _));
        Assert.True(problem.RootElement.TryGetProperty("traceId", out _));
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
