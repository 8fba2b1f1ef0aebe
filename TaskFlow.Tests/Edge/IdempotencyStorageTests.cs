using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Edge.EdgeClient;

namespace TaskFlow.Tests.Edge;

/// <summary>
/// What the idempotency store keeps (API.md "Idempotent writes", issue 24): only answers worth replaying, and at most
/// a capped number of records per caller, the oldest dropped first.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class IdempotencyStorageTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task A_404_is_not_replayed_so_the_same_key_runs_again_once_the_task_is_visible()
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var other = await UsersApiClient.RegisterAndLoginAsync(client);
        var task = await PostAsync(client, "/tasks", JsonSerializer.Serialize(new { title = "not yet shared" }), token: owner.AccessToken);
        Assert.True(task.Status == HttpStatusCode.Created, task.Text);
        var taskId = task.Json().GetProperty("id").GetString();

        var key = NewKey();
        var body = JsonSerializer.Serialize(new { body = "may I?" });
        var hidden = await PostAsync(client, $"/tasks/{taskId}/comments", body, key, other.AccessToken);
        AssertProblem(hidden, HttpStatusCode.NotFound);

        using (var share = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Put, $"/tasks/{taskId}", owner.AccessToken,
            new { title = "now shared", assigneeId = other.Id }))
        {
            Assert.Equal(HttpStatusCode.OK, share.StatusCode);
        }

        var retried = await PostAsync(client, $"/tasks/{taskId}/comments", body, key, other.AccessToken);
        Assert.True(retried.Status == HttpStatusCode.Created, $"the retry replayed the 404 instead of running: {(int)retried.Status} {retried.Text}");
        Assert.False(retried.Replayed);
    }

    [Fact]
    public async Task A_validation_400_is_replayed_for_the_same_key()
    {
        using var client = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var key = NewKey();
        var first = await PostAsync(client, "/tasks", """{"title":""}""", key, user.AccessToken);
        var again = await PostAsync(client, "/tasks", """{"title":""}""", key, user.AccessToken);
        AssertProblem(first, HttpStatusCode.BadRequest);
        Assert.True(again.Replayed);
        Assert.Equal(first.Body, again.Body);
    }
}
