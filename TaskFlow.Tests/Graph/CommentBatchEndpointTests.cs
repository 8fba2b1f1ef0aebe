using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Graph;

/// <summary><c>GET /tasks/comments/batch</c> (GraphQL's comments DataLoader) through the gateway: visibility as REST, input checked.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class CommentBatchEndpointTests(TaskFlowAppFixture fixture) : IDisposable
{
    private readonly HttpClient _gateway = fixture.CreateGatewayClient();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task The_batch_answers_only_tasks_the_caller_may_see_and_validates_its_input()
    {
        var owner = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var stranger = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var hidden = await CreateTaskWithCommentsAsync(owner.AccessToken, "hidden", 2);
        var own = await CreateTaskWithCommentsAsync(stranger.AccessToken, "own", 3);

        using var answer = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Get,
            $"/tasks/comments/batch?ids={hidden},{own},{Guid.NewGuid()}&limit=2", stranger.AccessToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var page = Assert.Single((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        Assert.Equal(own, page.GetProperty("taskId").GetString());
        Assert.Equal(["own 0", "own 1"], page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextCursor").ValueKind);

        // The cursor pages on with the task's own list.
        using var next = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Get,
            $"/tasks/{own}/comments?limit=2&cursor={page.GetProperty("nextCursor").GetString()}", stranger.AccessToken);
        Assert.Equal("own 2", (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("body").GetString());

        var tooMany = string.Join(',', Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()));
        foreach (var query in new[] { "", "ids=not-a-uuid", $"ids={tooMany}", $"ids={own}&limit=0", $"ids={own}&cursor=abc" })
        {
            using var invalid = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Get, "/tasks/comments/batch?" + query, stranger.AccessToken);
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        }

        using var anonymous = await _gateway.GetAsync($"/tasks/comments/batch?ids={own}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private async Task<string> CreateTaskWithCommentsAsync(string token, string title, int comments)
    {
        using var created = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Post, "/tasks", token, new { title });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString() ?? "";
        for (var i = 0; i < comments; i++)
        {
            using var comment = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Post, $"/tasks/{id}/comments", token, new { body = $"{title} {i}" });
            Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        }

        return id;
    }
}
