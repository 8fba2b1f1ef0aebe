using System.Text;
using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Webhooks.WebhookTestSupport;

namespace TaskFlow.Tests.Webhooks;

/// <summary>The REST contract of API.md "Webhooks" through the gateway: create, list, get, delete, errors.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class WebhooksApiTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Create_returns_201_with_a_whsec_secret_shown_only_at_creation_and_lists_page_with_a_cursor()
    {
        using var gateway = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var created = new List<WebhookDto>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await CreateAsync(gateway, user.AccessToken, $"http://127.0.0.1:9/hook{i}", "task.created", "task.deleted"));
        }

        var secret = Assert.IsType<string>(created[0].Secret);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);
        Assert.Equal(["task.created", "task.deleted"], created[0].Events);
        Assert.True(created[0].Enabled);

        using var one = await SendAsync(gateway, HttpMethod.Get, $"/webhooks/{created[1].Id}", user.AccessToken);
        var oneBody = await one.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.DoesNotContain("secret", oneBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"description\":\"test receiver\"", oneBody, StringComparison.Ordinal);

        var first = await GetAsync<PageDto<WebhookDto>>(gateway, user.AccessToken, "/webhooks?limit=2");
        Assert.Equal([created[2].Id, created[1].Id], first.Items.Select(w => w.Id));
        Assert.All(first.Items, w => Assert.Null(w.Secret));
        var second = await GetAsync<PageDto<WebhookDto>>(gateway, user.AccessToken, $"/webhooks?limit=2&cursor={first.NextCursor}");
        Assert.Equal([created[0].Id], second.Items.Select(w => w.Id));
        Assert.Null(second.NextCursor);
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/hook","events":["task.created"]}""", "url")]
    [InlineData("""{"url":"/relative/hook","events":["task.created"]}""", "url")]
    [InlineData("""{"events":["task.created"]}""", "url")]
    [InlineData("""{"url":"http://10.1.2.3/hook","events":["task.created"]}""", "url")]
    [InlineData("""{"url":"http://169.254.169.254/latest/meta-data","events":["task.created"]}""", "url")]
    [InlineData("""{"url":"http://[fd00:ec2::254]/","events":["task.created"]}""", "url")]
    [InlineData("""{"url":"http://[::ffff:192.168.1.1]/","events":["task.created"]}""", "url")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":[]}""", "events")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook"}""", "events")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":["task.exploded"]}""", "events")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":"task.created"}""", "events")]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string body, string field)
    {
        using var gateway = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", user.AccessToken);
        using var response = await gateway.SendAsync(request);
        await UsersApiClient.AssertValidationProblemAsync(response, field);
        var list = await GetAsync<PageDto<WebhookDto>>(gateway, user.AccessToken, "/webhooks");
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_malformed_json_400_and_no_token_401()
    {
        using var gateway = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(gateway);
        using var text = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new StringContent("url=x", Encoding.UTF8, "text/plain") };
        text.Headers.Authorization = new("Bearer", user.AccessToken);
        await UsersApiClient.AssertProblemAsync(await gateway.SendAsync(text), HttpStatusCode.UnsupportedMediaType);
        using var broken = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new StringContent("{\"url\":", Encoding.UTF8, "application/json") };
        broken.Headers.Authorization = new("Bearer", user.AccessToken);
        await UsersApiClient.AssertProblemAsync(await gateway.SendAsync(broken), HttpStatusCode.BadRequest);
        using var anonymous = await gateway.GetAsync("/webhooks");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Another_users_webhook_is_404_on_every_route_and_stays_unchanged()
    {
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var other = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var webhook = await CreateAsync(gateway, owner.AccessToken, "http://127.0.0.1:9/hook", "task.created");
        var someId = Guid.NewGuid();

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/webhooks/{webhook.Id}"),
            (HttpMethod.Delete, $"/webhooks/{webhook.Id}"),
            (HttpMethod.Get, $"/webhooks/{webhook.Id}/deliveries"),
            (HttpMethod.Post, $"/webhooks/{webhook.Id}/deliveries/{someId}/redeliver"),
            (HttpMethod.Post, $"/webhooks/{webhook.Id}/rotate-secret"),
        })
        {
            using var response = await SendAsync(gateway, method, path, other.AccessToken);
            await UsersApiClient.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }

        Assert.Empty((await GetAsync<PageDto<WebhookDto>>(gateway, other.AccessToken, "/webhooks")).Items);
        var still = await GetAsync<WebhookDto>(gateway, owner.AccessToken, $"/webhooks/{webhook.Id}");
        Assert.True(still.Enabled);
    }

    [Fact]
    public async Task The_gateway_serves_the_webhooks_OpenAPI_document_with_every_route()
    {
        using var gateway = fixture.CreateGatewayClient();
        using var response = await gateway.GetAsync("/openapi/webhooks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/webhooks", "/webhooks/{id}", "/webhooks/{id}/deliveries", "/webhooks/{id}/deliveries/{deliveryId}/redeliver", "/webhooks/{id}/rotate-secret" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"no {path} in the document");
        }
    }

    [Fact]
    public async Task A_user_has_at_most_25_webhooks_the_26th_is_a_409_problem_and_deleting_one_makes_room()
    {
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var created = new List<WebhookDto>();
        for (var i = 0; i < 25; i++)
        {
            created.Add(await CreateAsync(gateway, owner.AccessToken, $"http://127.0.0.1:9/hook/{i}", "task.created"));
        }

        using (var refused = await SendAsync(gateway, HttpMethod.Post, "/webhooks", owner.AccessToken, new { url = "http://127.0.0.1:9/hook/26", events = new[] { "task.created" } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(409, problem.GetProperty("status").GetInt32());
            Assert.Contains("25", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var page = await GetAsync<PageDto<WebhookDto>>(gateway, owner.AccessToken, "/webhooks?limit=100");
        Assert.Equal(25, page.Items.Length);
        var other = await UsersApiClient.RegisterAndLoginAsync(gateway);
        await CreateAsync(gateway, other.AccessToken, "http://127.0.0.1:9/hook/other", "task.created");

        using (var deleted = await SendAsync(gateway, HttpMethod.Delete, $"/webhooks/{created[0].Id}", owner.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await CreateAsync(gateway, owner.AccessToken, "http://127.0.0.1:9/hook/26", "task.created");
    }
}
