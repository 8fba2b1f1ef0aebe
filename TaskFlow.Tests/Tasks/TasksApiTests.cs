using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Tasks;

/// <summary>Every row and error of the API.md Tasks table, directly against the Tasks service (two replicas).</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TasksApiTests(TaskFlowAppFixture fixture) : IDisposable
{
    private readonly TasksTestClient _api = new(fixture, fixture.CreateClient("tasks"));

    public void Dispose() => _api.Http.Dispose();

    [Fact]
    public async Task Post_creates_a_task_with_defaults_location_and_etag()
    {
        var owner = await _api.NewUserAsync();
        using var response = await _api.SendAsync(HttpMethod.Post, "/tasks", owner.AccessToken, new { title = "Write the report", unknownField = 1 });
        await TasksTestClient.ExpectAsync(response, HttpStatusCode.Created);
        var task = await TasksTestClient.ReadAsync<TasksTestClient.TaskDto>(response);

        Assert.Equal($"/tasks/{task.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"v1\"", response.Headers.ETag?.ToString());
        Assert.False(response.Headers.ETag?.IsWeak);
        Assert.True(Guid.TryParse(task.Id, out _));
        Assert.Equal(owner.Id.ToString(), task.OwnerId);
        Assert.Equal("Write the report", task.Title);
        Assert.Equal("todo", task.Status);
        Assert.Equal("medium", task.Priority);
        Assert.Empty(task.Tags);
        Assert.Null(task.AssigneeId);
        Assert.Null(task.DueDate);
        Assert.Equal(1, task.Version);
        Assert.Equal(task.CreatedAt, task.UpdatedAt);
        Assert.InRange(task.CreatedAt, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(2));
    }

    [Fact]
    public async Task Post_echoes_every_field_in_api_spelling()
    {
        var owner = await _api.NewUserAsync();
        using var response = await _api.SendAsync(HttpMethod.Post, "/tasks", owner.AccessToken,
            """{"title":"All","description":"d","status":"in_progress","priority":"urgent","dueDate":"2031-02-03T04:05:06.789Z","tags":["a","b"]}""");
        await TasksTestClient.ExpectAsync(response, HttpStatusCode.Created);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("in_progress", root.GetProperty("status").GetString());
        Assert.Equal("urgent", root.GetProperty("priority").GetString());
        Assert.Equal("2031-02-03T04:05:06.789Z", root.GetProperty("dueDate").GetString());
        Assert.Equal(["a", "b"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        foreach (var name in new[] { "id", "ownerId", "title", "description", "assigneeId", "createdAt", "updatedAt", "version" })
        {
            Assert.True(root.TryGetProperty(name, out _), name);
        }
    }

    [Theory]
    [InlineData("""{"title":{"$gt":""}}""", "title")]
    [InlineData("""{"title":""}""", "title")]
    [InlineData("""{"description":"no title"}""", "title")]
    [InlineData("""{"title":"t","status":"blocked"}""", "status")]
    [InlineData("""{"title":"t","priority":"critical"}""", "priority")]
    [InlineData("""{"title":"t","dueDate":"someday"}""", "dueDate")]
    [InlineData("""{"title":"t","assigneeId":"not-a-uuid"}""", "assigneeId")]
    [InlineData("""{"title":"t","tags":[1,2]}""", "tags")]
    public async Task Post_with_invalid_input_is_a_validation_problem(string body, string field)
    {
        var owner = await _api.NewUserAsync();
        using var response = await _api.SendAsync(HttpMethod.Post, "/tasks", owner.AccessToken, body);
        await TasksTestClient.ExpectValidationErrorAsync(response, field);
    }

    [Theory]
    [InlineData("{\"title\": ")]
    [InlineData("{\"title\":\"a\",\"title\":\"b\"}")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Post_with_malformed_json_is_400_problem(string body)
    {
        var owner = await _api.NewUserAsync();
        using var response = await _api.SendAsync(HttpMethod.Post, "/tasks", owner.AccessToken, body);
        await TasksTestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_with_wrong_content_type_is_415_and_oversized_body_is_413()
    {
        var owner = await _api.NewUserAsync();
        using var text = await _api.SendAsync(HttpMethod.Post, "/tasks", owner.AccessToken, configure: r =>
            r.Content = new StringContent("""{"title":"t"}""", Encoding.UTF8, "text/plain"));
        await TasksTestClient.ExpectProblemAsync(text, HttpStatusCode.UnsupportedMediaType);

        var huge = JsonSerializer.Serialize(new { title = "t", description = new string('x', 1_100_000) });
        // Expect: 100-continue, as a careful client sends a large body: the refusal comes on the declared length, before
        // the body is written, so the client never writes into a connection already answered (a broken pipe, not a 413).
        using var large = await _api.SendAsync(HttpMethod.Post, "/tasks", owner.AccessToken, huge, r => r.Headers.ExpectContinue = true);
        await TasksTestClient.ExpectProblemAsync(large, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_with_unknown_assignee_is_400_on_assigneeId_and_known_assignee_is_accepted()
    {
        var owner = await _api.NewUserAsync();
        var assignee = await _api.NewUserAsync();
        using var unknown = await _api.SendAsync(HttpMethod.Post, "/tasks", owner.AccessToken, new { title = "t", assigneeId = Guid.NewGuid() });
        await TasksTestClient.ExpectValidationErrorAsync(unknown, "assigneeId");

        var task = await _api.CreateAsync(owner.AccessToken, new { title = "t", assigneeId = assignee.Id });
        Assert.Equal(assignee.Id.ToString(), task.AssigneeId);
        Assert.Equal(task.Id, (await _api.GetAsync(assignee.AccessToken, task.Id)).Id);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_401_with_bearer_challenge()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/tasks"), (HttpMethod.Post, "/tasks"), (HttpMethod.Get, $"/tasks/{Guid.NewGuid()}") })
        {
            using var anonymous = await _api.SendAsync(method, path, token: null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

            using var forged = await _api.SendAsync(method, path, token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
    }

    [Fact]
    public async Task Get_returns_etag_and_304_on_matching_if_none_match()
    {
        var owner = await _api.NewUserAsync();
        var created = await _api.CreateAsync(owner.AccessToken, new { title = "cache me" });

        using var first = await _api.SendAsync(HttpMethod.Get, $"/tasks/{created.Id}", owner.AccessToken);
        await TasksTestClient.ExpectAsync(first, HttpStatusCode.OK);
        var etag = first.Headers.ETag;
        Assert.Equal("\"v1\"", etag?.ToString());

        using var notModified = await _api.SendAsync(HttpMethod.Get, $"/tasks/{created.Id}", owner.AccessToken,
            configure: r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"v1\"")));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("\"v1\"", notModified.Headers.ETag?.ToString());
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var stale = await _api.SendAsync(HttpMethod.Get, $"/tasks/{created.Id}", owner.AccessToken,
            configure: r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"v0\"")));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }

    [Fact]
    public async Task Get_of_unknown_invisible_or_malformed_id_is_404_problem()
    {
        var owner = await _api.NewUserAsync();
        var stranger = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "private" });

        foreach (var (token, path) in new[]
                 {
                     (stranger.AccessToken, $"/tasks/{task.Id}"),
                     (owner.AccessToken, $"/tasks/{Guid.NewGuid()}"),
                     (owner.AccessToken, "/tasks/not-an-id"),
                     (owner.AccessToken, "/tasks/%7B%24gt%3A%22%22%7D"),
                 })
        {
            using var response = await _api.SendAsync(HttpMethod.Get, path, token);
            await TasksTestClient.ExpectProblemAsync(response, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Admin_sees_any_task_but_may_only_delete_not_edit_or_comment()
    {
        var owner = await _api.NewUserAsync();
        var admin = await _api.AdminAsync();
        var tag = "adm-" + Guid.NewGuid().ToString("N")[..12];
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "admin reads", tags = new[] { tag } });

        Assert.Equal(task.Id, (await _api.GetAsync(admin.AccessToken, task.Id)).Id);
        Assert.Equal([task.Id], (await _api.ListAllAsync(admin.AccessToken, $"?tag={tag}")).Select(t => t.Id));

        using var put = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", admin.AccessToken, new { title = "admin edit" });
        await TasksTestClient.ExpectProblemAsync(put, HttpStatusCode.Forbidden);
        using var comment = await _api.SendAsync(HttpMethod.Post, $"/tasks/{task.Id}/comments", admin.AccessToken, new { body = "hi" });
        await TasksTestClient.ExpectProblemAsync(comment, HttpStatusCode.Forbidden);

        using var delete = await _api.SendAsync(HttpMethod.Delete, $"/tasks/{task.Id}", admin.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task Put_replaces_editable_fields_increments_version_and_changes_etag()
    {
        var owner = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "v1", description = "old", tags = new[] { "x" }, priority = "high" });

        using var response = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken,
            new { title = "v2", status = "done", ownerId = Guid.NewGuid(), version = 42 },
            r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\"")));
        await TasksTestClient.ExpectAsync(response, HttpStatusCode.OK);
        var updated = await TasksTestClient.ReadAsync<TasksTestClient.TaskDto>(response);

        Assert.Equal("\"v2\"", response.Headers.ETag?.ToString());
        Assert.Equal(2, updated.Version);
        Assert.Equal("v2", updated.Title);
        Assert.Equal("done", updated.Status);
        Assert.Null(updated.Description);
        Assert.Empty(updated.Tags);
        Assert.Equal("medium", updated.Priority);
        Assert.Equal(task.OwnerId, updated.OwnerId);
        Assert.Equal(task.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= task.UpdatedAt);
        Assert.Equal(updated, await _api.GetAsync(owner.AccessToken, task.Id));
    }

    [Fact]
    public async Task Put_with_stale_etag_returns_412()
    {
        var owner = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "v1" });
        using var first = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "v2" });
        await TasksTestClient.ExpectAsync(first, HttpStatusCode.OK);

        using var stale = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "v3" },
            r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\"")));
        await TasksTestClient.ExpectProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal("v2", (await _api.GetAsync(owner.AccessToken, task.Id)).Title);
    }

    [Fact]
    public async Task Two_puts_with_the_same_if_match_one_wins_one_gets_412()
    {
        var owner = await _api.NewUserAsync();
        for (var round = 0; round < 5; round++)
        {
            var task = await _api.CreateAsync(owner.AccessToken, new { title = $"race {round}" });
            var puts = Enumerable.Range(0, 2).Select(i => _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken,
                new { title = $"writer {i}" }, r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\"")))).ToArray();
            var responses = await Task.WhenAll(puts);
            try
            {
                Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], responses.Select(r => r.StatusCode).Order());
                var stored = await _api.GetAsync(owner.AccessToken, task.Id);
                Assert.Equal(2, stored.Version);
                var winner = await TasksTestClient.ReadAsync<TasksTestClient.TaskDto>(responses.Single(r => r.StatusCode == HttpStatusCode.OK));
                Assert.Equal(winner.Title, stored.Title);
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task Assignee_may_edit_but_not_delete_and_strangers_get_404()
    {
        var owner = await _api.NewUserAsync();
        var assignee = await _api.NewUserAsync();
        var stranger = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "shared", assigneeId = assignee.Id });

        using var edit = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", assignee.AccessToken,
            new { title = "shared", status = "in_progress", assigneeId = assignee.Id });
        await TasksTestClient.ExpectAsync(edit, HttpStatusCode.OK);

        using var assigneeDelete = await _api.SendAsync(HttpMethod.Delete, $"/tasks/{task.Id}", assignee.AccessToken);
        await TasksTestClient.ExpectProblemAsync(assigneeDelete, HttpStatusCode.Forbidden);

        using var strangerPut = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", stranger.AccessToken, new { title = "mine" });
        await TasksTestClient.ExpectProblemAsync(strangerPut, HttpStatusCode.NotFound);
        using var strangerDelete = await _api.SendAsync(HttpMethod.Delete, $"/tasks/{task.Id}", stranger.AccessToken);
        await TasksTestClient.ExpectProblemAsync(strangerDelete, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_to_an_unknown_assignee_is_400_and_reassignment_moves_visibility()
    {
        var owner = await _api.NewUserAsync();
        var first = await _api.NewUserAsync();
        var second = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "hand over", assigneeId = first.Id });

        using var unknown = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "hand over", assigneeId = Guid.NewGuid() });
        await TasksTestClient.ExpectValidationErrorAsync(unknown, "assigneeId");

        using var reassign = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "hand over", assigneeId = second.Id });
        await TasksTestClient.ExpectAsync(reassign, HttpStatusCode.OK);

        Assert.Equal(task.Id, (await _api.GetAsync(second.AccessToken, task.Id)).Id);
        using var lost = await _api.SendAsync(HttpMethod.Get, $"/tasks/{task.Id}", first.AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, lost.StatusCode);
    }

    [Fact]
    public async Task Delete_by_owner_is_204_then_404_everywhere_and_with_stale_etag_412()
    {
        var owner = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "doomed" });
        await _api.CreateAsync(owner.AccessToken, new { title = "edit first" });

        using var stale = await _api.SendAsync(HttpMethod.Delete, $"/tasks/{task.Id}", owner.AccessToken,
            configure: r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v9\"")));
        await TasksTestClient.ExpectProblemAsync(stale, HttpStatusCode.PreconditionFailed);

        using var delete = await _api.SendAsync(HttpMethod.Delete, $"/tasks/{task.Id}", owner.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        using var get = await _api.SendAsync(HttpMethod.Get, $"/tasks/{task.Id}", owner.AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var again = await _api.SendAsync(HttpMethod.Delete, $"/tasks/{task.Id}", owner.AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var put = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "zombie" });
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.DoesNotContain(await _api.ListAllAsync(owner.AccessToken, "?limit=100"), t => t.Id == task.Id);
    }

    [Fact]
    public async Task Comments_are_added_by_owner_and_assignee_and_listed_in_pages()
    {
        var owner = await _api.NewUserAsync();
        var assignee = await _api.NewUserAsync();
        var stranger = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "discuss", assigneeId = assignee.Id });

        var posted = new List<TasksTestClient.CommentDto>();
        for (var i = 0; i < 5; i++)
        {
            var author = i % 2 == 0 ? owner : assignee;
            using var response = await _api.SendAsync(HttpMethod.Post, $"/tasks/{task.Id}/comments", author.AccessToken, new { body = $"comment {i}" });
            await TasksTestClient.ExpectAsync(response, HttpStatusCode.Created);
            var comment = await TasksTestClient.ReadAsync<TasksTestClient.CommentDto>(response);
            Assert.Equal(task.Id, comment.TaskId);
            Assert.Equal(author.Id.ToString(), comment.AuthorId);
            Assert.Equal($"comment {i}", comment.Body);
            posted.Add(comment);
        }

        var listed = new List<TasksTestClient.CommentDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await _api.SendAsync(HttpMethod.Get, $"/tasks/{task.Id}/comments?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), assignee.AccessToken);
            await TasksTestClient.ExpectAsync(response, HttpStatusCode.OK);
            var page = await TasksTestClient.ReadAsync<TasksTestClient.PageDto<TasksTestClient.CommentDto>>(response);
            Assert.True(page.Items.Length <= 2);
            listed.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(posted.Select(c => c.Id), listed.Select(c => c.Id));

        using var strangerPost = await _api.SendAsync(HttpMethod.Post, $"/tasks/{task.Id}/comments", stranger.AccessToken, new { body = "hi" });
        await TasksTestClient.ExpectProblemAsync(strangerPost, HttpStatusCode.NotFound);
        using var strangerList = await _api.SendAsync(HttpMethod.Get, $"/tasks/{task.Id}/comments", stranger.AccessToken);
        await TasksTestClient.ExpectProblemAsync(strangerList, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"body":""}""")]
    [InlineData("""{"body":"   "}""")]
    [InlineData("""{"body":{"$gt":""}}""")]
    [InlineData("""{}""")]
    public async Task Comment_with_invalid_body_is_400_on_body(string json)
    {
        var owner = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "c" });
        using var response = await _api.SendAsync(HttpMethod.Post, $"/tasks/{task.Id}/comments", owner.AccessToken, json);
        await TasksTestClient.ExpectValidationErrorAsync(response, "body");
    }

    [Fact]
    public async Task Comment_of_5000_chars_is_accepted_and_5001_rejected()
    {
        var owner = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "c" });
        using var ok = await _api.SendAsync(HttpMethod.Post, $"/tasks/{task.Id}/comments", owner.AccessToken, new { body = new string('a', 5000) });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var tooLong = await _api.SendAsync(HttpMethod.Post, $"/tasks/{task.Id}/comments", owner.AccessToken, new { body = new string('a', 5001) });
        await TasksTestClient.ExpectValidationErrorAsync(tooLong, "body");
        using var tampered = await _api.SendAsync(HttpMethod.Get, $"/tasks/{task.Id}/comments?cursor=AAAA", owner.AccessToken);
        await TasksTestClient.ExpectValidationErrorAsync(tampered, "cursor");
    }
}
