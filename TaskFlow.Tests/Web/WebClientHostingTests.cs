using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Web;

/// <summary>How the gateway serves the web client: routes, caching, and a strict Content-Security-Policy.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed partial class WebClientHostingTests(TaskFlowAppFixture fixture)
{
    [GeneratedRegex("src=\"(/assets/[0-9a-f]{12}/js/app\\.js)\"")]
    private static partial Regex AppScript();

    [Fact]
    public async Task The_gateway_serves_the_client_at_the_root_with_a_strict_policy_and_revalidation()
    {
        using var client = fixture.CreateGatewayClient();
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.True(page.Headers.CacheControl?.NoCache, "index.html must be revalidated");
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal); // no inline script anywhere
        Assert.DoesNotContain("{{version}}", html, StringComparison.Ordinal);

        var etag = page.Headers.ETag;
        Assert.NotNull(etag);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/");
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // Assets live under a content version: cached for a year, immutable.
        var script = AppScript().Match(html);
        Assert.True(script.Success, html);
        using var js = await client.GetAsync(script.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", js.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(365), js.Headers.CacheControl?.MaxAge);
    }

    [Theory]
    [InlineData("/alive")]
    [InlineData("/metrics")]
    [InlineData("/assets/000000000000/js/app.js")]
    [InlineData("/index.html")]
    public async Task The_client_routes_expose_nothing_else_of_the_web_host(string path)
    {
        using var client = fixture.CreateGatewayClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_client_routes_do_not_shadow_the_api()
    {
        using var client = fixture.CreateGatewayClient();
        using (var tasks = await client.GetAsync("/tasks"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, tasks.StatusCode);
        }

        using (var lookup = await client.GetAsync("/users/lookup?email=a@example.test"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, lookup.StatusCode);
        }

        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using var post = await client.PostAsync("/", new StringContent("{}", new MediaTypeHeaderValue("application/json")));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.True((int)post.StatusCode is 404 or 405, $"POST / answered {(int)post.StatusCode}");
    }
}
