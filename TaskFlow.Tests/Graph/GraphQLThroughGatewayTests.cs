using System.Text.Json;
using TaskFlow.Graph.Model;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Tasks;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Graph;

/// <summary>The "done when": GraphQL through the gateway, with REST's visibility, cursors and errors.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GraphQLThroughGatewayTests(TaskFlowAppFixture fixture) : IDisposable
{
    private const string TaskFields = "id title status priority tags version etag ownerId assigneeId";

    private readonly HttpClient _gateway = fixture.CreateGatewayClient();

    public void Dispose() => _gateway.Dispose();

    private GraphQLTestClient Graph => new(fixture, _gateway);

    private async Task<JsonElement> CreateTaskAsync(string token, object input)
    {
        var created = await Graph.PostAsync(token, $"mutation($input: TaskInput!) {{ createTask(input: $input) {{ {TaskFields} }} }}", new { input });
        created.AssertNoErrors();
        return created.Data.GetProperty("createTask");
    }

    [Fact]
    public async Task Me_returns_the_callers_account()
    {
        var ada = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: "Ada GraphQL");

        var answer = await Graph.PostAsync(ada.AccessToken, "query Me { me { id email displayName roles } }", operationName: "Me");

        answer.AssertNoErrors();
        var me = answer.Data.GetProperty("me");
        Assert.Equal(ada.Id.ToString(), me.GetProperty("id").GetString());
        Assert.Equal(ada.User.Email, me.GetProperty("email").GetString());
        Assert.Equal("Ada GraphQL", me.GetProperty("displayName").GetString());
        Assert.Equal(["user"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(answer.Response.Headers.Contains("X-Request-Id"), "the gateway's X-Request-Id is on GraphQL answers too");
    }

    [Fact]
    public async Task A_created_task_is_queried_with_its_owner_assignee_and_comments()
    {
        var owner = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: "Owner G");
        var colleague = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: "Colleague G");
        var task = await CreateTaskAsync(owner.AccessToken, new { title = "Ship GraphQL", priority = "high", tags = new[] { "api" }, assigneeId = colleague.Id });
        var id = task.GetProperty("id").GetString();
        Assert.Equal("high", task.GetProperty("priority").GetString());
        Assert.Equal("\"v1\"", task.GetProperty("etag").GetString());

        var first = await Graph.PostAsync(owner.AccessToken, "mutation($id: ID!) { addComment(taskId: $id, body: \"Started.\") { id body author { displayName } } }", new { id });
        first.AssertNoErrors();
        Assert.Equal("Owner G", first.Data.GetProperty("addComment").GetProperty("author").GetProperty("displayName").GetString());
        (await Graph.PostAsync(colleague.AccessToken, "mutation($id: ID!) { addComment(taskId: $id, body: \"On it.\") { id } }", new { id })).AssertNoErrors();

        var answer = await Graph.PostAsync(owner.AccessToken, """
            query($id: ID!) {
              task(id: $id) {
                id title status tags
                owner { id displayName }
                assignee { id displayName }
                comments(first: 10) { nodes { body author { id displayName } } pageInfo { hasNextPage endCursor } }
              }
            }
            """, new { id });

        answer.AssertNoErrors();
        var read = answer.Data.GetProperty("task");
        Assert.Equal("Ship GraphQL", read.GetProperty("title").GetString());
        Assert.Equal("todo", read.GetProperty("status").GetString());
        Assert.Equal(owner.Id.ToString(), read.GetProperty("owner").GetProperty("id").GetString());
        Assert.Equal("Owner G", read.GetProperty("owner").GetProperty("displayName").GetString());
        Assert.Equal("Colleague G", read.GetProperty("assignee").GetProperty("displayName").GetString());
        var comments = read.GetProperty("comments");
        Assert.Equal(["Started.", "On it."], comments.GetProperty("nodes").EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        Assert.Equal(["Owner G", "Colleague G"], comments.GetProperty("nodes").EnumerateArray().Select(c => c.GetProperty("author").GetProperty("displayName").GetString()));
        Assert.False(comments.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        // What GraphQL created, REST serves: one system, two APIs.
        var rest = new TasksTestClient(fixture, _gateway);
        Assert.Equal("Ship GraphQL", (await rest.GetAsync(owner.AccessToken, id!)).Title);
    }

    [Fact]
    public async Task Paging_with_the_REST_cursors_returns_every_task_once()
    {
        var owner = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await CreateTaskAsync(owner.AccessToken, new { title = $"Page task {i}" })).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var answer = await Graph.PostAsync(owner.AccessToken,
                "query($after: String) { tasks(first: 2, after: $after, sort: \"-createdAt\") { nodes { id } pageInfo { hasNextPage endCursor } } }",
                new { after });
            answer.AssertNoErrors();
            var connection = answer.Data.GetProperty("tasks");
            seen.AddRange(connection.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
            var pageInfo = connection.GetProperty("pageInfo");
            after = pageInfo.GetProperty("hasNextPage").GetBoolean() ? pageInfo.GetProperty("endCursor").GetString() : null;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(Enumerable.Reverse(created), seen);

        // The cursor is REST's own: GET /tasks accepts the GraphQL endCursor.
        var firstPage = await Graph.PostAsync(owner.AccessToken, "{ tasks(first: 2, sort: \"-createdAt\") { pageInfo { endCursor } } }");
        var cursor = firstPage.Data.GetProperty("tasks").GetProperty("pageInfo").GetProperty("endCursor").GetString();
        var rest = await new TasksTestClient(fixture, _gateway).ListAsync(owner.AccessToken, $"?limit=2&sort=-createdAt&cursor={Uri.EscapeDataString(cursor!)}");
        Assert.Equal(seen.Skip(2).Take(2), rest.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task Another_users_task_is_null_with_NOT_FOUND_and_cannot_be_changed()
    {
        var owner = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var outsider = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var id = (await CreateTaskAsync(owner.AccessToken, new { title = "Private plans" })).GetProperty("id").GetString();

        var answer = await Graph.PostAsync(outsider.AccessToken, "query($id: ID!) { task(id: $id) { id title } }", new { id });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(JsonValueKind.Null, answer.Data.GetProperty("task").ValueKind);
        Assert.Equal([GraphErrorCodes.NotFound], answer.ErrorCodes);
        Assert.DoesNotContain("Private plans", answer.Json.ToString());

        var list = await Graph.PostAsync(outsider.AccessToken, "{ tasks { nodes { id } } }");
        list.AssertNoErrors();
        Assert.Empty(list.Data.GetProperty("tasks").GetProperty("nodes").EnumerateArray());

        var delete = await Graph.PostAsync(outsider.AccessToken, "mutation($id: ID!) { deleteTask(id: $id) }", new { id });
        Assert.Equal([GraphErrorCodes.NotFound], delete.ErrorCodes);
        Assert.Equal("Private plans", (await new TasksTestClient(fixture, _gateway).GetAsync(owner.AccessToken, id!)).Title);
    }

    [Fact]
    public async Task A_stale_ifMatch_is_PRECONDITION_FAILED_and_changes_nothing()
    {
        var owner = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var task = await CreateTaskAsync(owner.AccessToken, new { title = "Draft" });
        var id = task.GetProperty("id").GetString();
        var firstTag = task.GetProperty("etag").GetString();
        const string Update = "mutation($id: ID!, $input: TaskInput!, $ifMatch: String) { updateTask(id: $id, input: $input, ifMatch: $ifMatch) { title version etag } }";

        var fresh = await Graph.PostAsync(owner.AccessToken, Update, new { id, input = new { title = "Second draft" }, ifMatch = firstTag });
        fresh.AssertNoErrors();
        Assert.Equal(2, fresh.Data.GetProperty("updateTask").GetProperty("version").GetInt64());

        var stale = await Graph.PostAsync(owner.AccessToken, Update, new { id, input = new { title = "Lost update" }, ifMatch = firstTag });

        Assert.Equal([GraphErrorCodes.PreconditionFailed], stale.ErrorCodes);
        var current = await Graph.PostAsync(owner.AccessToken, "query($id: ID!) { task(id: $id) { title version } }", new { id });
        Assert.Equal("Second draft", current.Data.GetProperty("task").GetProperty("title").GetString());
        Assert.Equal(2, current.Data.GetProperty("task").GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Users_of_a_page_of_tasks_and_comment_authors_are_fetched_in_one_batch_call_each()
    {
        var assignee = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: "Batch assignee");
        var owners = new List<UsersApiClient.SignedInUser>();
        for (var i = 0; i < 6; i++)
        {
            var owner = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: $"Batch owner {i}");
            owners.Add(owner);
            await CreateTaskAsync(owner.AccessToken, new { title = $"Delegated {i}", assigneeId = assignee.Id });
        }

        var batchBefore = await Graph.DownstreamCallsAsync("users.batch");
        var singleBefore = await Graph.DownstreamCallsAsync("users.get");
        var page = await Graph.PostAsync(assignee.AccessToken,
            "{ tasks(first: 20, sort: \"createdAt\") { nodes { title owner { id displayName } assignee { displayName } } } }");
        var batchAfter = await Graph.DownstreamCallsAfterAsync("users.batch", batchBefore);

        page.AssertNoErrors();
        var nodes = page.Data.GetProperty("tasks").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(owners.Select(o => o.User.DisplayName), nodes.Select(n => n.GetProperty("owner").GetProperty("displayName").GetString()));
        Assert.All(nodes, n => Assert.Equal("Batch assignee", n.GetProperty("assignee").GetProperty("displayName").GetString()));
        Assert.Equal(1, batchAfter - batchBefore);
        Assert.Equal(singleBefore, await Graph.DownstreamCallsAsync("users.get"));

        // Comment authors of a page of comments: one more batch call for the whole page.
        var taskId = (await CreateTaskAsync(assignee.AccessToken, new { title = "Discussed" })).GetProperty("id").GetString();
        for (var i = 0; i < 3; i++)
        {
            (await Graph.PostAsync(assignee.AccessToken, "mutation($id: ID!) { addComment(taskId: $id, body: \"note\") { id } }", new { id = taskId })).AssertNoErrors();
        }

        var before = await Graph.DownstreamCallsAsync("users.batch");
        var comments = await Graph.PostAsync(assignee.AccessToken, "query($id: ID!) { task(id: $id) { comments { nodes { author { displayName } } } } }", new { id = taskId });
        var after = await Graph.DownstreamCallsAfterAsync("users.batch", before);

        comments.AssertNoErrors();
        Assert.Equal(3, comments.Data.GetProperty("task").GetProperty("comments").GetProperty("nodes").GetArrayLength());
        Assert.Equal(1, after - before);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_a_GraphQL_UNAUTHENTICATED_error()
    {
        var anonymous = await Graph.PostAsync(null, "{ me { id } }");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal([GraphErrorCodes.Unauthenticated], anonymous.ErrorCodes);
        Assert.Contains("Bearer", anonymous.Response.Headers.WwwAuthenticate.ToString());

        // A token that is present but not valid is refused by the gateway itself, exactly as on REST routes.
        var forged = await Graph.PostAsync("not-a-jwt", "{ me { id } }");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
    }

    [Fact]
    public async Task Malformed_requests_and_mutations_over_GET_get_clean_errors_and_the_schema_is_served()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway);

        using (var malformed = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\": ", System.Text.Encoding.UTF8, "application/json") })
        {
            var answer = await Graph.SendAsync(malformed, user.AccessToken);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal([GraphErrorCodes.BadUserInput], answer.ErrorCodes);
        }

        using (var get = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("{ me { displayName } }")))
        {
            var answer = await Graph.SendAsync(get, user.AccessToken);
            answer.AssertNoErrors();
            Assert.Equal(user.User.DisplayName, answer.Data.GetProperty("me").GetProperty("displayName").GetString());
        }

        using (var mutation = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("mutation { createTask(input: {title: \"via GET\"}) { id } }")))
        {
            var answer = await Graph.SendAsync(mutation, user.AccessToken);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
            Assert.Equal([GraphErrorCodes.BadUserInput], answer.ErrorCodes);
        }

        var none = await Graph.PostAsync(user.AccessToken, "{ tasks { nodes { id } } }");
        Assert.Empty(none.Data.GetProperty("tasks").GetProperty("nodes").EnumerateArray());

        using var schemaRequest = new HttpRequestMessage(HttpMethod.Get, "/graphql/schema");
        schemaRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var schema = await _gateway.SendAsync(schemaRequest);
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Equal("text/plain", schema.Content.Headers.ContentType?.MediaType);
        Assert.Contains("type Query", await schema.Content.ReadAsStringAsync());

        using var docs = await _gateway.GetAsync("/docs");
        Assert.Contains("href=\"/graphql/schema\"", await docs.Content.ReadAsStringAsync());
    }
}
