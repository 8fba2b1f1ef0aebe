using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Standards;

/// <summary>
/// README.md's "Use it from your code": the examples are the files in tests/contract/examples, quoted verbatim in
/// the README (checked here), and each one runs with node against the running system through the gateway.
/// (token.mjs runs in <see cref="OAuthClientTests"/>.)
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class ClientExamplesTests(TaskFlowAppFixture fixture)
{
    public static readonly string[] Examples = ["token.mjs", "rest.mjs", "stream.mjs", "graphql.mjs"];

    [Fact]
    public async Task The_readme_quotes_every_example_file_verbatim()
    {
        var readme = (await File.ReadAllTextAsync(Path.Combine(ContractTools.RepositoryRoot, "README.md"))).ReplaceLineEndings("\n");
        foreach (var example in Examples)
        {
            var code = (await File.ReadAllTextAsync(Path.Combine(ContractTools.ExamplesFolder, example))).ReplaceLineEndings("\n").TrimEnd();
            Assert.True(readme.Contains($"```js\n{code}\n```", StringComparison.Ordinal), $"README.md does not quote tests/contract/examples/{example} verbatim");
        }
    }

    [Fact]
    public async Task The_rest_and_graphql_examples_create_and_read_the_callers_tasks()
    {
        using var http = fixture.CreateGatewayClient();
        var (environment, _) = await NewAccountAsync(http);

        var rest = await ContractTools.NodeAsync(Example("rest.mjs"), environment);
        Assert.True(rest.ExitCode == 0, rest.ToString());
        var created = JsonDocument.Parse(rest.Output).RootElement;
        var id = created.GetProperty("created").GetString();
        Assert.Contains(id, created.GetProperty("newest").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("\"", created.GetProperty("etag").GetString());

        var graphql = await ContractTools.NodeAsync(Example("graphql.mjs"), environment);
        Assert.True(graphql.ExitCode == 0, graphql.ToString());
        var answer = JsonDocument.Parse(graphql.Output).RootElement;
        Assert.Equal("Examples", answer.GetProperty("me").GetString());
        Assert.Equal(["Write the release notes"], answer.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task The_stream_example_receives_the_named_notification_event()
    {
        using var http = fixture.CreateGatewayClient();
        var (environment, user) = await NewAccountAsync(http);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = ContractTools.NodeAsync(Example("stream.mjs"), environment, TimeSpan.FromSeconds(60), line =>
        {
            if (line == "listening")
            {
                listening.TrySetResult();
            }

            return Task.CompletedTask;
        });
        await Task.WhenAny(listening.Task, stream, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(listening.Task.IsCompleted, $"the example never opened its stream: {(stream.IsCompleted ? (await stream).ToString() : "still running")}");

        // task.created notifies its creator: the example prints that event and closes the stream.
        using (var task = await UsersApiClient.SendAuthorizedAsync(http, HttpMethod.Post, "/tasks", user.AccessToken, new { title = "Heard on the stream" }))
        {
            await UsersApiClient.EnsureStatusAsync(task, HttpStatusCode.Created);
        }

        var result = await stream;
        Assert.True(result.ExitCode == 0, result.ToString());
        var notification = JsonDocument.Parse(result.Output.Split('\n')[^1]).RootElement;
        Assert.Equal("task.created", notification.GetProperty("type").GetString());
        Assert.Contains("Heard on the stream", notification.GetProperty("message").GetString());
        Assert.True(Guid.TryParse(notification.GetProperty("id").GetString(), out _), result.Output);
    }

    private static string Example(string name) => Path.Combine(ContractTools.ExamplesFolder, name);

    private static async Task<(Dictionary<string, string> Environment, UsersApiClient.SignedInUser User)> NewAccountAsync(HttpClient http)
    {
        var user = await UsersApiClient.RegisterAndLoginAsync(http, "Examples");
        return (new Dictionary<string, string>
        {
            ["TASKFLOW_URL"] = OAuthClientTests.Issuer(http), ["TASKFLOW_EMAIL"] = user.User.Email, ["TASKFLOW_PASSWORD"] = user.Password,
        }, user);
    }
}
