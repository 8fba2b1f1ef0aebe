using System.Text;
using TaskFlow.Graph.Infrastructure;
using TaskFlow.Graph.Model;

namespace TaskFlow.Tests.Graph;

/// <summary>
/// The Graph service's limits and error mapping, with its real schema, executor and HTTP handlers and the REST
/// services stubbed at the process edge.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GraphLimitsAndErrorsTests
{
    private const string TaskId = "0193a0c0-0000-7000-8000-0000000000aa";

    private static object TaskJson(string id, string ownerId, string? assigneeId = null) => new
    {
        id,
        ownerId,
        title = "Task " + id[^4..],
        description = (string?)null,
        status = "todo",
        priority = "medium",
        dueDate = (string?)null,
        assigneeId,
        tags = Array.Empty<string>(),
        createdAt = "2026-12-01T10:00:00.000Z",
        updatedAt = "2026-12-01T10:00:00.000Z",
        version = 3,
    };

    /// <summary>An introspection query nested <paramref name="depth"/> fields deep (the schema's own types have no cycle).</summary>
    public static string NestedIntrospection(int depth)
    {
        // __type(1) > fields(2) > type(3) > ofType(4) > ... > name(depth)
        var ofTypes = depth - 4;
        var inner = "name";
        for (var i = 0; i < ofTypes; i++)
        {
            inner = $"ofType {{ {inner} }}";
        }

        return $"{{ __type(name: \"Task\") {{ fields {{ type {{ {inner} }} }} }} }}";
    }

    /// <summary>
    /// Introspection whose answer multiplies: every field of every type, the fields of each field's type, and so on
    /// <paramref name="levels"/> times. Shallow enough for any depth limit, but its answer grows exponentially.
    /// </summary>
    public static string MultiplyingIntrospection(int levels)
    {
        var inner = "name";
        for (var i = 0; i < levels; i++)
        {
            inner = $"fields {{ type {{ {inner} }} }}";
        }

        return $"{{ __schema {{ types {{ {inner} }} }} }}";
    }

    [Fact]
    public async Task Introspection_is_exempt_from_the_depth_limit_but_not_from_the_complexity_budget()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));

        var deep = await host.PostQueryAsync(NestedIntrospection(15));
        Assert.Equal(200, deep.Status);
        Assert.Empty(deep.ErrorCodes);
        Assert.NotEmpty(deep.Data.GetProperty("__type").GetProperty("fields").EnumerateArray());

        var explosive = await host.PostQueryAsync(MultiplyingIntrospection(6));
        Assert.Equal(400, explosive.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], explosive.ErrorCodes);
        Assert.Contains("complex", explosive.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.False(explosive.Json.TryGetProperty("data", out _), "a rejected request has no data");
    }

    [Fact]
    public async Task The_graphql_js_standard_introspection_query_is_answered_within_the_budget()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));

        var answer = await host.PostQueryAsync(GraphQLStandardClientTests.IntrospectionQuery());

        Assert.Equal(200, answer.Status);
        Assert.Empty(answer.ErrorCodes);
        Assert.Equal("Query", answer.Data.GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString());
        Assert.Empty(host.Calls);
    }

    [Fact]
    public async Task A_query_over_the_complexity_budget_is_rejected_before_any_REST_call()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { items = Array.Empty<object>(), nextCursor = (string?)null }));
        const string Page = "tasks(first: 100) { nodes { id title comments(first: 100) { nodes { id body author { id displayName } } } } }";

        var expensive = await host.PostQueryAsync($"{{ a: {Page} b: {Page} c: {Page} }}");
        Assert.Equal(400, expensive.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], expensive.ErrorCodes);
        Assert.Empty(host.Calls);

        var affordable = await host.PostQueryAsync("{ tasks(first: 100) { nodes { id title owner { displayName } } } }");
        Assert.Equal(200, affordable.Status);
        Assert.Equal(["GET /tasks?limit=100"], host.Calls);
    }

    [Fact]
    public async Task Introspection_is_allowed_within_the_limits()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));
        var answer = await host.PostQueryAsync("{ __schema { queryType { name } mutationType { name } types { name } } }");

        Assert.Equal(200, answer.Status);
        Assert.Equal("Mutation", answer.Data.GetProperty("__schema").GetProperty("mutationType").GetProperty("name").GetString());
    }

    [Fact]
    public async Task REST_statuses_become_error_codes_and_a_missing_task_is_null_with_NOT_FOUND()
    {
        await using var host = new GraphUnitHost(request => request.RequestUri!.AbsolutePath switch
        {
            "/tasks/" + TaskId when request.Method == HttpMethod.Get => GraphUnitHost.Problem(HttpStatusCode.NotFound, "Not Found"),
            "/tasks/" + TaskId when request.Method == HttpMethod.Put => GraphUnitHost.Problem(HttpStatusCode.PreconditionFailed, "Precondition failed", "The task has changed; its current ETag is \"v4\"."),
            "/tasks/" + TaskId when request.Method == HttpMethod.Delete => new HttpResponseMessage(HttpStatusCode.Forbidden),
            "/tasks" => GraphUnitHost.Problem(HttpStatusCode.BadRequest, "One or more validation errors occurred.", errors: new { title = new[] { "The title is required." } }),
            _ => GraphUnitHost.Problem(HttpStatusCode.Unauthorized, "Unauthorized"),
        });

        var missing = await host.PostQueryAsync($"{{ task(id: \"{TaskId}\") {{ id title }} }}");
        Assert.Equal(200, missing.Status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, missing.Data.GetProperty("task").ValueKind);
        Assert.Equal([GraphErrorCodes.NotFound], missing.ErrorCodes);
        Assert.Equal("task", missing.Json.GetProperty("errors")[0].GetProperty("path")[0].GetString());

        var stale = await host.PostQueryAsync(
            "mutation($id: ID!) { updateTask(id: $id, input: {title: \"x\"}, ifMatch: \"\\\"v3\\\"\") { id } }", new { id = TaskId });
        Assert.Equal([GraphErrorCodes.PreconditionFailed], stale.ErrorCodes);
        Assert.Contains("current ETag", stale.Json.GetProperty("errors")[0].GetProperty("message").GetString());

        var forbidden = await host.PostQueryAsync($"mutation {{ deleteTask(id: \"{TaskId}\") }}");
        Assert.Equal([GraphErrorCodes.Forbidden], forbidden.ErrorCodes);

        var invalid = await host.PostQueryAsync("mutation { createTask(input: {title: \"\"}) { id } }");
        Assert.Equal([GraphErrorCodes.BadUserInput], invalid.ErrorCodes);
        var fields = invalid.Json.GetProperty("errors")[0].GetProperty("extensions").GetProperty("fields");
        Assert.Equal("The title is required.", fields.GetProperty("title")[0].GetString());

        var expired = await host.PostQueryAsync("{ me { id } }");
        Assert.Equal([GraphErrorCodes.Unauthenticated], expired.ErrorCodes);
    }

    [Fact]
    public async Task Failures_inside_the_services_or_the_resolvers_never_leak_their_text()
    {
        await using var host = new GraphUnitHost(request => request.RequestUri!.AbsolutePath == "/users/me"
            ? new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("NpgsqlException: secret-connection-string at Foo.Bar()") }
            : throw new InvalidOperationException("secret-resolver-detail"));

        var serverError = await host.PostQueryAsync("{ me { id } }");
        Assert.Equal([GraphErrorCodes.Unavailable], serverError.ErrorCodes);
        Assert.DoesNotContain("secret", serverError.Text, StringComparison.OrdinalIgnoreCase);

        var crash = await host.PostQueryAsync("{ notifications { nodes { id } } }");
        Assert.Equal([GraphErrorCodes.InternalServerError], crash.ErrorCodes);
        Assert.DoesNotContain("secret", crash.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("InvalidOperation", crash.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(GraphErrorInfoProvider.InternalMessage, crash.Json.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"query\": \"{ me { id } }\"", "application/json", 400)]
    [InlineData("not json at all", "application/json", 400)]
    [InlineData("{\"query\": 42}", "application/json", 400)]
    [InlineData("{\"query\": \"{ me { id } }\", \"variables\": [1, 2]}", "application/json", 400)]
    [InlineData("{\"variables\": {}}", "application/json", 400)]
    [InlineData("null", "application/json", 400)]
    [InlineData("{\"query\": \"{ me { id } \"}", "application/json", 400)]
    [InlineData("[{\"query\": \"{ me { id } }\"}]", "application/json", 400)]
    [InlineData("{\"query\": \"{ me { id } }\", \"variables\": {\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}", "application/json", 400)]
    [InlineData("{\"query\": \"{ me { id } }\"}", "text/plain", 415)]
    [InlineData("{\"query\": \"{ me { id } }\"}", "", 415)]
    public async Task Malformed_requests_get_a_clean_GraphQL_error(string body, string contentType, int status)
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));
        var answer = await host.PostAsync(body, contentType);

        Assert.Equal(status, answer.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], answer.ErrorCodes);
        Assert.Empty(host.Calls);
    }

    [Fact]
    public async Task Pathologically_nested_query_text_is_a_syntax_error_not_a_crash()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));
        var nested = string.Concat(Enumerable.Repeat("{ a ", 1000)) + string.Concat(Enumerable.Repeat("}", 1000));

        var answer = await host.PostQueryAsync(nested);

        Assert.Equal(400, answer.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], answer.ErrorCodes);
        Assert.Empty(host.Calls);
    }

    [Fact]
    public async Task Variables_of_the_wrong_type_are_BAD_USER_INPUT_before_execution()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { items = Array.Empty<object>(), nextCursor = (string?)null }));
        var answer = await host.PostQueryAsync("query($n: Int) { tasks(first: $n) { nodes { id } } }", new { n = "ten" });

        Assert.Equal(400, answer.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], answer.ErrorCodes);
        Assert.Empty(host.Calls);

        var badEnum = await host.PostQueryAsync("{ tasks(status: finished) { nodes { id } } }");
        Assert.Equal(400, badEnum.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], badEnum.ErrorCodes);
    }

    [Fact]
    public async Task A_huge_query_or_body_is_refused_without_parsing_it()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));
        var longQuery = "{ me { id " + string.Concat(Enumerable.Repeat("displayName ", GraphLimits.MaxQueryLength / 12 + 1)) + "} }";

        var tooLong = await host.PostQueryAsync(longQuery);
        Assert.Equal(400, tooLong.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], tooLong.ErrorCodes);

        var huge = new StringBuilder("{\"query\": \"{ me { id } }\", \"variables\": {\"x\": \"");
        huge.Append('a', GraphLimits.MaxBodyBytes).Append("\"}}");
        var tooBig = await host.PostAsync(huge.ToString());
        Assert.Equal(413, tooBig.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], tooBig.ErrorCodes);
        Assert.Empty(host.Calls);
    }

    [Fact]
    public async Task Without_a_valid_token_nothing_executes_and_the_answer_is_UNAUTHENTICATED()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());

        var answer = await host.PostQueryAsync("{ me { id } }", user: anonymous);

        Assert.Equal(401, answer.Status);
        Assert.Equal("Bearer", answer.Headers.WWWAuthenticate.ToString());
        Assert.Equal([GraphErrorCodes.Unauthenticated], answer.ErrorCodes);
        Assert.Empty(host.Calls);
    }

    [Fact]
    public async Task GET_runs_queries_and_refuses_mutations_with_405()
    {
        await using var host = new GraphUnitHost(request => request.RequestUri!.AbsolutePath == "/users/me"
            ? GraphUnitHost.Json(new { id = "u1", displayName = "Ada", email = "ada@example.test", roles = new[] { "user" }, createdAt = "2026-12-01T10:00:00Z" })
            : GraphUnitHost.Json(new { }));

        var query = await host.GetAsync("query Me { me { displayName email } }");
        Assert.Equal(200, query.Status);
        Assert.Equal("ada@example.test", query.Data.GetProperty("me").GetProperty("email").GetString());

        var mutation = await host.GetAsync($"mutation {{ deleteTask(id: \"{TaskId}\") }}");
        Assert.Equal(405, mutation.Status);
        Assert.Equal("POST", mutation.Headers.Allow.ToString());
        Assert.Equal([GraphErrorCodes.BadUserInput], mutation.ErrorCodes);
        Assert.Equal(["GET /users/me"], host.Calls);

        var badVariables = await host.GetAsync("query($n: Int) { tasks(first: $n) { nodes { id } } }", "{not json");
        Assert.Equal(400, badVariables.Status);
    }

    [Fact]
    public async Task Users_of_a_page_of_tasks_are_loaded_in_one_batch_call()
    {
        var owners = Enumerable.Range(1, 12).Select(i => $"0193a0c0-0000-7000-8000-{i:D12}").ToArray();
        var tasks = owners.Select((owner, i) => TaskJson($"0193a0c0-0000-7000-9000-{i:D12}", owner, owners[(i + 1) % owners.Length])).ToArray();
        await using var host = new GraphUnitHost(request => request.RequestUri!.AbsolutePath switch
        {
            "/tasks" => GraphUnitHost.Json(new { items = tasks, nextCursor = "next-page" }),
            "/users/batch" => GraphUnitHost.Json(new
            {
                items = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query)["ids"]!.Split(',').Select(id => new { id, displayName = "User " + id[^2..] }),
            }),
            _ => GraphUnitHost.Problem(HttpStatusCode.NotFound, "Not Found"),
        });

        var answer = await host.PostQueryAsync("{ tasks(first: 12) { nodes { id owner { id displayName } assignee { id } } pageInfo { hasNextPage endCursor } } }");

        Assert.Empty(answer.ErrorCodes);
        var nodes = answer.Data.GetProperty("tasks").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(owners, nodes.Select(n => n.GetProperty("owner").GetProperty("id").GetString()));
        Assert.Equal("User " + owners[0][^2..], nodes[0].GetProperty("owner").GetProperty("displayName").GetString());
        Assert.Equal("next-page", answer.Data.GetProperty("tasks").GetProperty("pageInfo").GetProperty("endCursor").GetString());
        var batchCalls = host.Calls.Where(c => c.StartsWith("GET /users/batch", StringComparison.Ordinal)).ToList();
        Assert.Single(batchCalls);
        Assert.Equal(owners.Order(), Uri.UnescapeDataString(batchCalls[0]).Split("ids=")[1].Split(',').Order());
        Assert.Equal(2, host.Calls.Count);
    }

    [Theory]
    [InlineData("MyTasks", "MyTasks")]
    [InlineData(null, GraphExecutor.AnonymousOperation)]
    [InlineData("drop table; --", GraphExecutor.AnonymousOperation)]
    public void Operation_names_are_bounded_metric_labels(string? name, string label) =>
        Assert.Equal(label, GraphExecutor.OperationName(name));

    [Fact]
    public async Task The_schema_document_has_the_API_md_fields()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { }));
        var sdl = host.Schema();

        foreach (var expected in new[]
                 {
                     "me: User!", "user(id: ID!): User", "task(id: ID!): Task", "): TaskConnection!", "): NotificationConnection!",
                     "owner: User!", "assignee: User", "): CommentConnection!", "author: User!",
                     "createTask(input: TaskInput!): Task!", "ifMatch: String): Task!", "deleteTask(id: ID!): Boolean!",
                     "addComment(taskId: ID!, body: String!): Comment!", "markNotificationRead(id: ID!): Boolean!",
                     "hasNextPage: Boolean!", "endCursor: String",
                 })
        {
            Assert.Contains(expected, sdl);
        }
    }
}
