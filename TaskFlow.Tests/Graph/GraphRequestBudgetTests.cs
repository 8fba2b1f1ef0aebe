using System.Text;
using GraphQL;
using TaskFlow.Gateway.GraphQL;
using TaskFlow.Graph.Infrastructure;
using TaskFlow.Graph.Model;

namespace TaskFlow.Tests.Graph;

/// <summary>
/// The request budget (API.md "GraphQL") with the Graph service's real schema, rules and resolvers, the REST services
/// stubbed at the process edge; and the gateway's count of mutation fields for the rate limits.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GraphRequestBudgetTests
{
    private static readonly object Me = new { id = "0193a0c0-0000-7000-8000-000000000001", displayName = "Ada" };

    private static string Aliases(int count, string field)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" a{i}:{field}");
        }

        return text.Append(" }").ToString();
    }

    private static object TaskJson(int i) => new
    {
        id = $"0193a0c0-0000-7000-9000-{i:D12}",
        ownerId = "0193a0c0-0000-7000-8000-000000000001",
        title = "T" + i,
        status = "todo",
        priority = "low",
        tags = Array.Empty<string>(),
        createdAt = "2026-12-01T10:00:00Z",
        updatedAt = "2026-12-01T10:00:00Z",
        version = 1,
    };

    [Fact]
    public async Task Every_alias_counts_and_a_request_over_1000_downstream_calls_runs_nothing()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(Me));

        var over = await host.PostQueryAsync(Aliases(GraphLimits.MaxDownstreamCalls + 1, "me{id}"));
        Assert.Equal(400, over.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], over.ErrorCodes);
        Assert.Contains("1001 calls", over.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Calls);

        var limit = await host.PostQueryAsync(Aliases(GraphLimits.MaxDownstreamCalls, "me{id}"));
        Assert.Equal(200, limit.Status);
        Assert.Empty(limit.ErrorCodes);
        Assert.Equal(GraphLimits.MaxDownstreamCalls, host.Calls.Count);
    }

    [Fact]
    public async Task Lists_count_at_their_first_and_nested_lists_multiply()
    {
        await using var host = new GraphUnitHost(_ => GraphUnitHost.Json(new { items = Array.Empty<object>(), nextCursor = (string?)null }));

        // tasks(first: 100) with each task's comments after a cursor (one call per task): 1 + 100 = 101 calls an alias.
        const string Paged = "tasks(first: 100) { nodes { comments(first: 5, after: \"c\") { nodes { id } } } }";
        var ten = await host.PostQueryAsync(Aliases(10, Paged));
        Assert.Equal([GraphErrorCodes.BadUserInput], ten.ErrorCodes);
        Assert.Contains("1010 calls", ten.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // The same through a variable and a fragment.
        var variable = await host.PostQueryAsync(
            "query($n: Int) { ...Page } fragment Page on Query { " + string.Join(' ', Enumerable.Range(0, 10).Select(i => $"p{i}: tasks(first: $n) {{ nodes {{ comments(after: \"c\") {{ nodes {{ id }} }} }} }}")) + " }",
            new { n = 100 });
        Assert.Equal([GraphErrorCodes.BadUserInput], variable.ErrorCodes);
        Assert.Empty(host.Calls);

        // Without a cursor the first pages of 100 tasks are one batch call: 9 aliases cost 18, and run.
        var batched = await host.PostQueryAsync(Aliases(9, "tasks(first: 100) { nodes { comments(first: 5) { nodes { id } } } }"));
        Assert.Equal(200, batched.Status);
        Assert.Empty(batched.ErrorCodes);
    }

    [Fact]
    public async Task More_than_10_mutation_fields_are_refused_fragments_and_aliases_included()
    {
        await using var host = new GraphUnitHost(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        string Deletes(string alias) => string.Join(' ', Enumerable.Range(0, 6).Select(i => $"{alias}{i}: deleteTask(id: \"{i}\")"));

        var eleven = await host.PostQueryAsync($"mutation {{ ...More {Deletes("d")} }} fragment More on Mutation {{ {Deletes("e")} }}");
        Assert.Equal(400, eleven.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], eleven.ErrorCodes);
        Assert.Contains("12 mutation fields", eleven.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Calls);

        var ten = await host.PostQueryAsync("mutation { " + string.Join(' ', Enumerable.Range(0, 10).Select(i => $"d{i}: deleteTask(id: \"{i}\")")) + " }");
        Assert.Empty(ten.ErrorCodes);
        Assert.Equal(10, host.Calls.Count);
    }

    [Fact]
    public async Task Comments_of_a_page_of_tasks_are_loaded_in_one_batch_call()
    {
        var tasks = Enumerable.Range(1, 12).Select(TaskJson).ToArray();
        await using var host = new GraphUnitHost(request => request.RequestUri!.AbsolutePath switch
        {
            "/tasks" => GraphUnitHost.Json(new { items = tasks, nextCursor = (string?)null }),
            "/tasks/comments/batch" => GraphUnitHost.Json(new
            {
                items = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query)["ids"]!.Split(',').Select(id => new
                {
                    taskId = id,
                    items = new[] { new { id = "0193a0c0-0000-7000-a000-000000000001", taskId = id, authorId = "u", body = "on " + id, createdAt = "2026-12-01T10:00:00Z" } },
                    nextCursor = "more",
                }),
            }),
            _ => GraphUnitHost.Problem(HttpStatusCode.NotFound, "Not Found"),
        });

        var answer = await host.PostQueryAsync("{ tasks(first: 12) { nodes { id comments(first: 3) { nodes { body } pageInfo { hasNextPage } } } } }");
        Assert.Empty(answer.ErrorCodes);

        var batch = Assert.Single(host.Calls, c => c.StartsWith("GET /tasks/comments/batch", StringComparison.Ordinal));
        Assert.Contains("limit=3", batch, StringComparison.Ordinal);
        Assert.Equal(2, host.Calls.Count);
        var nodes = answer.Data.GetProperty("tasks").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(12, nodes.Count);
        foreach (var node in nodes)
        {
            Assert.Equal("on " + node.GetProperty("id").GetString(), node.GetProperty("comments").GetProperty("nodes")[0].GetProperty("body").GetString());
        }

        Assert.Empty(answer.ErrorCodes);
        Assert.True(nodes[0].GetProperty("comments").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
    }

    [Fact]
    public async Task Downstream_calls_of_one_request_are_bounded_and_a_refused_call_keeps_its_code()
    {
        var inFlight = 0;
        var peak = 0;
        await using var host = new GraphUnitHost(async request =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref inFlight);
            return request.RequestUri!.AbsolutePath switch
            {
                "/users/me" => GraphUnitHost.Json(Me),
                "/notifications" => throw new Polly.RateLimiting.RateLimiterRejectedException(),
                _ => GraphUnitHost.Problem(HttpStatusCode.TooManyRequests, "Too many requests"),
            };
        });

        var answer = await host.PostQueryAsync(Aliases(200, "me{id}"));
        Assert.Empty(answer.ErrorCodes);
        Assert.InRange(peak, 1, GraphLimits.MaxConcurrentDownstreamCalls);

        var refused = await host.PostQueryAsync("{ notifications { nodes { id } } task(id: \"0193a0c0-0000-7000-9000-000000000001\") { id } }");
        Assert.Equal([GraphErrorCodes.RateLimited, GraphErrorCodes.Unavailable], refused.ErrorCodes.Order());
    }

    [Fact]
    public async Task Mutation_fields_beyond_the_permits_the_gateway_granted_are_RATE_LIMITED_and_not_run()
    {
        await using var host = new GraphUnitHost(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        var headers = new Dictionary<string, string> { [MutationPermits.GrantedHeader] = "2", [MutationPermits.RetryAfterHeader] = "3" };

        var answer = await host.PostQueryAsync("mutation { a: deleteTask(id: \"1\") b: deleteTask(id: \"2\") c: deleteTask(id: \"3\") }", headers: headers);

        Assert.Equal(["DELETE /tasks/1", "DELETE /tasks/2"], host.Calls);
        Assert.Equal([GraphErrorCodes.RateLimited], answer.ErrorCodes);
        Assert.Contains("retry after 3 s", answer.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mutation { a: createTask(input: {title: \"x\"}) { id } b: createTask(input: {title: \"y\"}) { id } }", null, 2)]
    [InlineData("mutation M { ...F __typename } fragment F on Mutation { a: deleteTask(id: \"1\") ... on Mutation { b: deleteTask(id: \"2\") } }", null, 2)]
    [InlineData("query Q { me { id } } mutation M { a: deleteTask(id: \"1\") }", "Q", 0)]
    [InlineData("query Q { me { id } } mutation M { a: deleteTask(id: \"1\") }", "M", 1)]
    [InlineData("{ me { id } }", null, 0)]
    [InlineData("mutation { a: deleteTask(id: \"1\") ", null, 0)]
    [InlineData("mutation { ...F } fragment F on Mutation { ...F a: deleteTask(id: \"1\") }", null, 1)]
    public void The_gateway_counts_the_mutation_fields_of_the_operation_a_request_selects(string query, string? operationName, int expected) =>
        Assert.Equal(expected, GraphQLMutationFields.Count(query, operationName));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
