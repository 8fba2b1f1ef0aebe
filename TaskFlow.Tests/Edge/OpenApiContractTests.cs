using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Edge;

/// <summary>
/// The OpenAPI documents the gateway serves are the truth clients generate SDKs from. This is the contract test
/// generated from them (the equivalent of Portman + Newman, in-process): every operation in each document is called
/// through the gateway as a normal user would, and each live answer must be documented — status, content type, body
/// schema, required headers; every protected operation is also called without a token (401). Spectral (spectral:oas,
/// pinned in tests/contract/package.json) must find no error and no warning in any document.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class OpenApiContractTests(TaskFlowAppFixture fixture)
{
    public static readonly string[] DocumentNames = ["users", "tasks", "notifications"];

    [Fact]
    public async Task Spectral_oas_reports_no_errors_and_no_warnings_for_any_document()
    {
        var root = RepositoryRoot();
        var spectral = Path.Combine(root, "tests", "contract", "node_modules", ".bin", "spectral");
        Assert.True(File.Exists(spectral), $"Spectral is not installed: run `npm ci --prefix tests/contract` (./test.sh does) — looked for {spectral}.");
        using var client = fixture.CreateGatewayClient();
        var folder = Directory.CreateTempSubdirectory("taskflow-openapi-");
        try
        {
            foreach (var name in DocumentNames)
            {
                var document = await LoadAsync(client, name);
                var file = Path.Combine(folder.FullName, name + ".json");
                await File.WriteAllTextAsync(file, document.Json);
                var (exitCode, output) = await RunAsync(spectral,
                    ["lint", "--ruleset", Path.Combine(root, "tests", "contract", ".spectral.yaml"), "--format", "json", "--quiet", file]);
                var diagnostics = JsonDocument.Parse(output.Length == 0 ? "[]" : output).RootElement.EnumerateArray()
                    .Where(d => d.GetProperty("severity").GetInt32() <= 1)
                    .Select(d => $"{d.GetProperty("code")}: {d.GetProperty("message")} at {string.Join('.', d.GetProperty("path").EnumerateArray())}")
                    .ToList();
                Assert.True(diagnostics.Count == 0, $"{name}.json: {diagnostics.Count} errors/warnings:\n{string.Join('\n', diagnostics)}");
                Assert.True(exitCode == 0, $"spectral exited {exitCode} for {name}.json: {output}");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Every_operation_answers_through_the_gateway_as_its_document_says()
    {
        using var client = fixture.CreateGatewayClient();
        var documents = new List<OpenApiDocumentContract>();
        foreach (var name in DocumentNames)
        {
            documents.Add(await LoadAsync(client, name));
        }

        var calls = new OpenApiContractScenario(client);
        var violations = new List<string>();
        var covered = new HashSet<string>();
        foreach (var document in documents)
        {
            foreach (var operation in document.Operations())
            {
                var responses = await calls.RunAsync(operation);
                Assert.True(responses.Count > 0, $"{document.Name}: no contract scenario for {operation.Method} {operation.Path} ({operation.OperationId}).");
                foreach (var response in responses)
                {
                    violations.AddRange(document.Check(operation, response));
                    if (response.Replayed)
                    {
                        Assert.True(OpenApiDocumentContract.DocumentsHeader(operation, (int)response.Status, "Idempotent-Replayed"),
                            $"{operation.OperationId}: Idempotent-Replayed not documented on {(int)response.Status}");
                        covered.Add("replay:" + operation.OperationId);
                    }
                }

                if (operation.RequiresAuth)
                {
                    var anonymous = await calls.SendAsync(operation, token: null);
                    Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
                    violations.AddRange(document.Check(operation, anonymous));
                }

                covered.Add(operation.OperationId);
            }
        }

        Assert.True(violations.Count == 0, $"{violations.Count} answers differ from the documents:\n{string.Join('\n', violations)}");
        // The idempotent writes were replayed and the replays are documented.
        foreach (var id in new[] { "RegisterUser", "CreateTask", "AddComment", "MarkNotificationRead" })
        {
            Assert.Contains("replay:" + id, covered);
        }
    }

    [Fact]
    public async Task Every_parameter_and_request_body_has_an_example()
    {
        using var client = fixture.CreateGatewayClient();
        var missing = new List<string>();
        foreach (var name in DocumentNames)
        {
            var document = await LoadAsync(client, name);
            foreach (var operation in document.Operations())
            {
                foreach (var parameter in operation.Node["parameters"]?.AsArray() ?? [])
                {
                    if (parameter?["example"] is null && parameter?["examples"] is null)
                    {
                        missing.Add($"{name} {operation.OperationId}: parameter {parameter?["name"]} ({parameter?["in"]})");
                    }
                }

                foreach (var (contentType, media) in operation.Node["requestBody"]?["content"]?.AsObject() ?? [])
                {
                    if (media?["example"] is null && media?["examples"] is null)
                    {
                        missing.Add($"{name} {operation.OperationId}: request body {contentType}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} without an example:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public async Task The_stream_operation_says_its_events_are_named_notification()
    {
        using var client = fixture.CreateGatewayClient();
        var stream = (await LoadAsync(client, "notifications")).Operations().Single(o => o.OperationId == "StreamNotifications");
        Assert.Contains("addEventListener('notification'", stream.Node["description"]?.GetValue<string>());
        var example = stream.Node["responses"]?["200"]?["content"]?["text/event-stream"]?["example"]?.GetValue<string>() ?? "";
        Assert.Contains("\nevent: notification\n", example);
        Assert.Contains(stream.Node["parameters"]?.AsArray() ?? [], p => p?["name"]?.GetValue<string>() == "Last-Event-ID");
    }

    [Fact]
    public async Task Discovery_metadata_and_keys_are_served_through_the_gateway_with_its_own_addresses()
    {
        using var client = fixture.CreateGatewayClient();
        var gateway = client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        using var discovery = await client.GetAsync("/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        var metadata = JsonDocument.Parse(await discovery.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal($"{gateway}/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal($"{gateway}/users/login", metadata.GetProperty("token_endpoint").GetString());
        // The issuer is the URL the document is served under (OpenID Connect Discovery 1.0 section 4.3, RFC 8414 section 3.3).
        Assert.Equal(gateway, metadata.GetProperty("issuer").GetString());

        using var keys = await client.GetAsync(new Uri(metadata.GetProperty("jwks_uri").GetString()!));
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        var key = JsonDocument.Parse(await keys.Content.ReadAsStringAsync()).RootElement.GetProperty("keys")[0];
        Assert.Equal("RSA", key.GetProperty("kty").GetString());

        // A token from the advertised token endpoint carries a key id the advertised key set has.
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        var kid = UsersApiClient.ReadHeader(user.AccessToken).GetProperty("kid").GetString();
        Assert.Contains(JsonDocument.Parse(await keys.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray(),
            k => k.GetProperty("kid").GetString() == kid);
    }

    [Fact]
    public async Task Login_documents_the_camel_case_json_answer_and_the_snake_case_form_answer()
    {
        using var client = fixture.CreateGatewayClient();
        var users = await LoadAsync(client, "users");
        var login = users.Operations().Single(o => o.OperationId == "Login");
        var body = login.Node["requestBody"]?["content"];
        Assert.NotNull(body?["application/json"]);
        Assert.NotNull(body?["application/x-www-form-urlencoded"]);
        var schema = login.Node["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["anyOf"]?.AsArray();
        Assert.NotNull(schema);
        var referenced = schema.Select(s => s?["$ref"]?.GetValue<string>()).ToList();
        Assert.Contains("#/components/schemas/TokenResponse", referenced);
        Assert.Contains("#/components/schemas/OAuthTokenResponse", referenced);

        var account = await UsersApiClient.RegisterAsync(client);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = account.Email, ["password"] = UsersApiClient.DefaultPassword,
        });
        using var formAnswer = await client.PostAsync("/users/login", form);
        var snake = await CapturedResponse.ReadAsync(formAnswer);
        Assert.True(snake.Json().TryGetProperty("access_token", out _), snake.Text);
        Assert.Empty(users.Check(login, snake));

        // A body of the other kind's names must not pass: the schema really tells them apart.
        var mixed = snake with { Body = Encoding.UTF8.GetBytes("""{"access_token":"a","tokenType":"Bearer"}""") };
        Assert.NotEmpty(users.Check(login, mixed));
    }

    private static async Task<OpenApiDocumentContract> LoadAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"/openapi/{name}.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new OpenApiDocumentContract(name, await response.Content.ReadAsStringAsync());
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskFlow.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TaskFlow.sln not found above the test binaries.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var text = (await output).Trim();
        return (process.ExitCode, text.Length > 0 ? text : (await error).Trim());
    }
}
