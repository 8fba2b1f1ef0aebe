using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaskFlow.Graph.Model;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using Xunit.Abstractions;

namespace TaskFlow.Tests.Graph;

/// <summary>
/// Issue 24: one GraphQL request cannot multiply work. The budget counts downstream calls (every alias, lists at their
/// <c>first</c>) and mutation fields before anything runs, mutations spend the REST rate limit, comments of many tasks
/// are one call, and the largest request the budget allows answers without INTERNAL_SERVER_ERROR.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GraphQLBudgetTests(TaskFlowAppFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly HttpClient _gateway = fixture.CreateGatewayClient();

    public void Dispose() => _gateway.Dispose();

    private GraphQLTestClient Graph => new(fixture, _gateway);

    [Fact]
    public async Task Three_hundred_aliased_createTask_are_refused_before_any_is_created()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway);

        var flood = await Graph.PostAsync(user.AccessToken, CreateTasks(300));
        var eleven = await Graph.PostAsync(user.AccessToken, CreateTasks(11));
        output.WriteLine($"300 aliases: {(int)flood.Status} {string.Join(",", flood.ErrorCodes.Distinct())}; tasks now {await CountTasksAsync(user.AccessToken)}");

        Assert.Equal(HttpStatusCode.BadRequest, flood.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], flood.ErrorCodes);
        Assert.Contains("mutation", flood.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal([GraphErrorCodes.BadUserInput], eleven.ErrorCodes);
        Assert.Equal(0, await CountTasksAsync(user.AccessToken));

        var ten = await Graph.PostAsync(user.AccessToken, CreateTasks(10));
        ten.AssertNoErrors();
        Assert.Equal(10, await CountTasksAsync(user.AccessToken));
    }

    [Fact]
    public async Task Comments_of_many_tasks_are_one_downstream_call_so_30_pages_of_100_stay_cheap()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var ids = await CreateRestTasksAsync(user.AccessToken, 100);
        var commented = new[] { ids[3], ids[50], ids[99] };
        foreach (var id in commented)
        {
            using var comment = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Post, $"/tasks/{id}/comments", user.AccessToken, new { body = "note on " + id });
            Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        }

        var before = await CountersAsync();
        var query = new StringBuilder("{");
        for (var i = 0; i < 30; i++)
        {
            query.Append(System.Globalization.CultureInfo.InvariantCulture, $" a{i}: tasks(first: 100) {{ nodes {{ id comments(first: 1) {{ nodes {{ body }} }} }} }}");
        }

        var answer = await Graph.PostAsync(user.AccessToken, query.Append(" }").ToString());
        var after = await CountersAfterAsync(before);
        output.WriteLine($"30 aliases: tasks.list +{after.List - before.List}, tasks.comments.list +{after.Single - before.Single}, tasks.comments.batch +{after.Batch - before.Batch}");

        answer.AssertNoErrors();
        for (var i = 0; i < 30; i++)
        {
            var nodes = answer.Data.GetProperty($"a{i}").GetProperty("nodes").EnumerateArray().ToList();
            Assert.Equal(100, nodes.Count);
            foreach (var node in nodes)
            {
                var id = node.GetProperty("id").GetString();
                var bodies = node.GetProperty("comments").GetProperty("nodes").EnumerateArray().Select(c => c.GetProperty("body").GetString()).ToList();
                var expected = commented.Contains(id) ? new[] { "note on " + id } : Array.Empty<string>();
                Assert.Equal(expected, bodies);
            }
        }

        Assert.Equal(30, after.List - before.List);
        Assert.Equal(0, after.Single - before.Single);
        Assert.Equal(1, after.Batch - before.Batch);
    }

    [Fact]
    public async Task The_largest_query_the_budget_allows_answers_without_errors_and_one_more_call_is_refused()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        await CreateRestTasksAsync(user.AccessToken, 100);

        // 60 pages of 100 tasks with their comments (60 list calls + 60 comment batches, counted at their upper bound)
        // and 880 single-user calls: 1,000 downstream calls, the budget exactly.
        var largest = LargestQuery(meAliases: 880);
        var answer = await Graph.PostAsync(user.AccessToken, largest);
        output.WriteLine($"largest query ({largest.Length} chars): {(int)answer.Status}, error codes [{string.Join(",", answer.ErrorCodes.Distinct())}]");

        answer.AssertNoErrors();
        Assert.Equal(100, answer.Data.GetProperty("t59").GetProperty("nodes").GetArrayLength());
        Assert.Equal(user.Id.ToString(), answer.Data.GetProperty("m879").GetProperty("id").GetString());

        var meBefore = await Graph.DownstreamCallsAsync("users.me");
        var over = await Graph.PostAsync(user.AccessToken, LargestQuery(meAliases: 881));
        Assert.Equal(HttpStatusCode.BadRequest, over.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], over.ErrorCodes);
        Assert.Contains("1001", over.Json.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Equal(meBefore, await Graph.DownstreamCallsAsync("users.me"));
    }

    [Fact]
    public async Task Mutation_fields_spend_the_same_rate_limit_budget_as_REST_requests()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var ghosts = new StringBuilder("mutation {");
        for (var i = 0; i < 10; i++)
        {
            ghosts.Append(System.Globalization.CultureInfo.InvariantCulture, $" d{i}: deleteTask(id: \"{Guid.NewGuid()}\")");
        }

        var mutation = ghosts.Append(" }").ToString();

        // 600 a minute, bursts up to 600: counted per request only, 150 requests of 10 deletes never reach it; counted
        // per mutation field (11 permits a request) the bucket runs dry after about 60.
        var sent = 0;
        GraphQLTestClient.Answer? limited = null;
        var firstAnswer = default(GraphQLTestClient.Answer);
        while (sent < 150 && limited is null)
        {
            var answer = await Graph.PostAsync(user.AccessToken, mutation);
            firstAnswer ??= answer;
            sent++;
            if (answer.ErrorCodes.Contains(GraphErrorCodes.RateLimited))
            {
                limited = answer;
            }
        }

        output.WriteLine($"RATE_LIMITED after {sent} GraphQL requests of 10 mutation fields");
        Assert.NotNull(firstAnswer);
        Assert.Equal(Enumerable.Repeat(GraphErrorCodes.NotFound, 10), firstAnswer.ErrorCodes);
        Assert.NotNull(limited);
        Assert.InRange(sent, 40, 100);

        // The same bucket: REST now sees it empty.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var rest = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Post, "/tasks", user.AccessToken, new { title = "after GraphQL" });
            statuses.Add(rest.StatusCode);
            if (rest.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(rest.Headers.RetryAfter);
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    private static string CreateTasks(int count)
    {
        var text = new StringBuilder("mutation {");
        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" c{i}: createTask(input: {{title: \"flood {i}\"}}) {{ id }}");
        }

        return text.Append(" }").ToString();
    }

    private static string LargestQuery(int meAliases)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < 60; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"t{i}:tasks(first:100){{nodes{{id comments(first:1){{nodes{{id}}}}}}}} ");
        }

        for (var i = 0; i < meAliases; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"m{i}:me{{id}} ");
        }

        return text.Append('}').ToString();
    }

    private async Task<int> CountTasksAsync(string token)
    {
        using var response = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Get, "/tasks?limit=100", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("items").GetArrayLength();
    }

    private async Task<string[]> CreateRestTasksAsync(string token, int count)
    {
        using var gate = new SemaphoreSlim(8);
        var created = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Post, "/tasks", token, new { title = $"page task {i}" });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString() ?? "";
            }
            finally
            {
                gate.Release();
            }
        }));
        return created;
    }

    private sealed record Counters(long List, long Single, long Batch);

    private async Task<Counters> CountersAsync() => new(
        await Graph.DownstreamCallsAsync("tasks.list"),
        await Graph.DownstreamCallsAsync("tasks.comments.list"),
        await Graph.DownstreamCallsAsync("tasks.comments.batch"));

    private async Task<Counters> CountersAfterAsync(Counters before)
    {
        var list = await Graph.DownstreamCallsAfterAsync("tasks.list", before.List);
        return new Counters(list, await Graph.DownstreamCallsAsync("tasks.comments.list"), await Graph.DownstreamCallsAsync("tasks.comments.batch"));
    }
}
