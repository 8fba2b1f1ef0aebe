using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using TaskFlow.Graph.Model;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Graph;

/// <summary>
/// GraphQL as generic tools use it (issue 25): graphql-js's standard introspection query, checked with graphql-js
/// itself, and GraphQL over HTTP's media types and GET, all through the gateway.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GraphQLStandardClientTests(TaskFlowAppFixture fixture) : IDisposable
{
    private const string ResponseMediaType = "application/graphql-response+json";

    private readonly HttpClient _gateway = fixture.CreateGatewayClient();

    public void Dispose() => _gateway.Dispose();

    private GraphQLTestClient Graph => new(fixture, _gateway);

    /// <summary>The text of graphql-js 16's <c>getIntrospectionQuery()</c>, as Apollo, GraphiQL and codegen send it.</summary>
    public static string IntrospectionQuery() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Graph", "Fixtures", "introspection-query.graphql"));

    [Fact]
    public async Task The_graphql_js_introspection_query_is_answered_and_its_schema_equals_the_SDL()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway);

        var answer = await Graph.PostAsync(user.AccessToken, IntrospectionQuery(), operationName: "IntrospectionQuery");
        answer.AssertNoErrors();

        using var schemaRequest = UsersApiClient.Authorized(HttpMethod.Get, "/graphql/schema", user.AccessToken);
        using var schema = await _gateway.SendAsync(schemaRequest);
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);

        var work = Directory.CreateTempSubdirectory("taskflow-graphql-");
        try
        {
            var answerFile = Path.Combine(work.FullName, "introspection.json");
            var sdlFile = Path.Combine(work.FullName, "schema.graphql");
            await File.WriteAllTextAsync(answerFile, answer.Json.GetRawText());
            await File.WriteAllTextAsync(sdlFile, await schema.Content.ReadAsStringAsync());

            var (exitCode, output) = await RunNodeAsync(Path.Combine(GraphQLTools(), "compare-schema.mjs"), answerFile, sdlFile);
            Assert.True(exitCode == 0, $"graphql-js: the schema built from the introspection answer differs from the SDL:\n{output}");
            Assert.StartsWith("equal:", output.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Deep_introspection_is_not_limited_by_depth_but_by_the_complexity_budget()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway);

        var deep = await Graph.PostAsync(user.AccessToken, GraphLimitsAndErrorsTests.NestedIntrospection(15));
        deep.AssertNoErrors();

        // Introspection that multiplies itself (every field of every type, and theirs, ...) is stopped before it runs.
        var explosive = await Graph.PostAsync(user.AccessToken, GraphLimitsAndErrorsTests.MultiplyingIntrospection(6));
        Assert.Equal(HttpStatusCode.BadRequest, explosive.Status);
        Assert.Equal([GraphErrorCodes.BadUserInput], explosive.ErrorCodes);
        Assert.False(explosive.Json.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Answers_are_application_graphql_response_json_when_the_client_prefers_it()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: "Media Type");

        var preferred = await SendAsync(HttpMethod.Post, user.AccessToken, "{ me { displayName } }", $"{ResponseMediaType}, application/json;q=0.9");
        preferred.AssertNoErrors();
        Assert.Equal(ResponseMediaType, preferred.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Media Type", preferred.Data.GetProperty("me").GetProperty("displayName").GetString());

        // graphql-response+json: a request that fails validation is a 4xx (GraphQL over HTTP), with no data.
        var invalid = await SendAsync(HttpMethod.Post, user.AccessToken, "{ me { shoeSize } }", ResponseMediaType);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal(ResponseMediaType, invalid.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([GraphErrorCodes.BadUserInput], invalid.ErrorCodes);
        Assert.False(invalid.Json.TryGetProperty("data", out _));

        // A field error after execution started is still 200 with data.
        var missing = await SendAsync(HttpMethod.Post, user.AccessToken, $"{{ task(id: \"{Guid.NewGuid()}\") {{ id }} }}", ResponseMediaType);
        Assert.Equal(HttpStatusCode.OK, missing.Status);
        Assert.Equal([GraphErrorCodes.NotFound], missing.ErrorCodes);

        foreach (var accept in new[] { "application/json", $"application/json, {ResponseMediaType};q=0.5", "*/*", null })
        {
            var legacy = await SendAsync(HttpMethod.Post, user.AccessToken, "{ me { id } }", accept);
            legacy.AssertNoErrors();
            Assert.Equal("application/json", legacy.Response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task GET_answers_queries_in_either_media_type_and_refuses_mutations_with_405()
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: "Over GET");

        var query = await SendAsync(HttpMethod.Get, user.AccessToken, "query Me { me { displayName } }", ResponseMediaType);
        query.AssertNoErrors();
        Assert.Equal(ResponseMediaType, query.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Over GET", query.Data.GetProperty("me").GetProperty("displayName").GetString());

        foreach (var accept in new[] { ResponseMediaType, "application/json" })
        {
            var mutation = await SendAsync(HttpMethod.Get, user.AccessToken, "mutation { createTask(input: {title: \"via GET\"}) { id } }", accept);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.Status);
            Assert.Equal(accept, mutation.Response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("POST", mutation.Response.Content.Headers.Allow);
            Assert.Equal([GraphErrorCodes.BadUserInput], mutation.ErrorCodes);
        }

        using var tasks = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Get, "/tasks", user.AccessToken);
        Assert.DoesNotContain("via GET", await tasks.Content.ReadAsStringAsync());
    }

    private async Task<GraphQLTestClient.Answer> SendAsync(HttpMethod method, string token, string query, string? accept)
    {
        using var request = method == HttpMethod.Get
            ? new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(query))
            : new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
            };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await Graph.SendAsync(request, token);
    }

    /// <summary>tests/graphql: the pinned graphql-js (`npm ci --prefix tests/graphql`, which ./test.sh runs).</summary>
    private static string GraphQLTools()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TaskFlow.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var tools = Path.Combine(directory.FullName, "tests", "graphql");
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "graphql")),
            $"graphql-js is not installed: run `npm ci --prefix tests/graphql` (./test.sh does) — looked in {tools}.");
        return tools;
    }

    private static async Task<(int ExitCode, string Output)> RunNodeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
