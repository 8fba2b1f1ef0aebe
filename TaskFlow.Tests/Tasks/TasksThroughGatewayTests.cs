using System.Net.Http.Headers;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Tasks;

/// <summary>The "done when": through the gateway, a logged-in user works with tasks; others cannot see them.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TasksThroughGatewayTests(TaskFlowAppFixture fixture) : IDisposable
{
    private readonly HttpClient _gateway = fixture.CreateGatewayClient();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task A_user_creates_lists_filters_edits_comments_and_deletes_and_another_user_sees_nothing_unless_assigned()
    {
        var api = new TasksTestClient(fixture, _gateway);
        var owner = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var colleague = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var outsider = await UsersApiClient.RegisterAndLoginAsync(_gateway);

        var report = await api.CreateAsync(owner.AccessToken, new { title = "Quarterly report", tags = new[] { "finance" }, priority = "high" });
        var chores = await api.CreateAsync(owner.AccessToken, new { title = "Water plants", tags = new[] { "office" } });

        Assert.Equal([chores.Id, report.Id], (await api.ListAllAsync(owner.AccessToken, "")).Select(t => t.Id));
        Assert.Equal([report.Id], (await api.ListAllAsync(owner.AccessToken, "?tag=finance&priority=high")).Select(t => t.Id));
        Assert.Empty(await api.ListAllAsync(colleague.AccessToken, ""));

        using (var hidden = await api.SendAsync(HttpMethod.Get, $"/tasks/{report.Id}", outsider.AccessToken))
        {
            await TasksTestClient.ExpectProblemAsync(hidden, HttpStatusCode.NotFound);
        }

        using (var assign = await api.SendAsync(HttpMethod.Put, $"/tasks/{report.Id}", owner.AccessToken,
                   new { title = "Quarterly report", tags = new[] { "finance" }, priority = "high", assigneeId = colleague.Id },
                   r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\""))))
        {
            await TasksTestClient.ExpectAsync(assign, HttpStatusCode.OK);
            Assert.Equal("\"v2\"", assign.Headers.ETag?.ToString());
        }

        Assert.Equal([report.Id], (await api.ListAllAsync(colleague.AccessToken, "")).Select(t => t.Id));
        using (var progress = await api.SendAsync(HttpMethod.Put, $"/tasks/{report.Id}", colleague.AccessToken,
                   new { title = "Quarterly report", status = "in_progress", assigneeId = colleague.Id },
                   r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v2\""))))
        {
            await TasksTestClient.ExpectAsync(progress, HttpStatusCode.OK);
        }

        using (var stale = await api.SendAsync(HttpMethod.Put, $"/tasks/{report.Id}", owner.AccessToken, new { title = "late" },
                   r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v2\""))))
        {
            await TasksTestClient.ExpectProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        }

        using (var notModified = await api.SendAsync(HttpMethod.Get, $"/tasks/{report.Id}", owner.AccessToken,
                   configure: r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"v3\""))))
        {
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using (var comment = await api.SendAsync(HttpMethod.Post, $"/tasks/{report.Id}/comments", colleague.AccessToken, new { body = "Numbers are in." }))
        {
            await TasksTestClient.ExpectAsync(comment, HttpStatusCode.Created);
        }

        using (var comments = await api.SendAsync(HttpMethod.Get, $"/tasks/{report.Id}/comments", owner.AccessToken))
        {
            await TasksTestClient.ExpectAsync(comments, HttpStatusCode.OK);
            var page = await TasksTestClient.ReadAsync<TasksTestClient.PageDto<TasksTestClient.CommentDto>>(comments);
            Assert.Equal(["Numbers are in."], page.Items.Select(c => c.Body));
        }

        using (var forbidden = await api.SendAsync(HttpMethod.Delete, $"/tasks/{report.Id}", colleague.AccessToken))
        {
            await TasksTestClient.ExpectProblemAsync(forbidden, HttpStatusCode.Forbidden);
        }

        using (var deleted = await api.SendAsync(HttpMethod.Delete, $"/tasks/{report.Id}", owner.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal([chores.Id], (await api.ListAllAsync(owner.AccessToken, "")).Select(t => t.Id));
        Assert.Empty(await api.ListAllAsync(colleague.AccessToken, ""));
        Assert.Empty(await api.ListAllAsync(outsider.AccessToken, ""));
    }
}
