using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Edge;

/// <summary>
/// The calls of the contract test, per operation of the documents: a normal user's successful call plus the
/// documented failures a client meets (validation, not found, precondition, forbidden), and a replay for each
/// idempotent write. State (two users, a task, a comment, a notification) is made once, through the gateway.
/// </summary>
public sealed class OpenApiContractScenario(HttpClient client)
{
    private UsersApiClient.SignedInUser? _owner;
    private UsersApiClient.SignedInUser? _other;
    private string? _taskId;
    private Guid? _notificationId;

    private UsersApiClient.SignedInUser Owner => _owner ?? throw new InvalidOperationException("Not set up.");

    private UsersApiClient.SignedInUser Other => _other ?? throw new InvalidOperationException("Not set up.");

    public async Task<IReadOnlyList<CapturedResponse>> RunAsync(OpenApiDocumentContract.Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await SetUpAsync();
        var owner = Owner.AccessToken;
        var task = _taskId!;
        var unknown = Guid.NewGuid();
        switch (operation.OperationId)
        {
            case "RegisterUser":
                var registration = Json(new { email = UsersApiClient.NewEmail("contract"), password = UsersApiClient.DefaultPassword, displayName = "Contract" });
                var key = EdgeClient.NewKey();
                return [
                    await SendAsync(HttpMethod.Post, "/users/register", null, registration, key),
                    await SendAsync(HttpMethod.Post, "/users/register", null, registration, key),
                    await SendAsync(HttpMethod.Post, "/users/register", null, Json(new { email = "not-an-email", password = "x", displayName = "" })),
                ];
            case "Login":
                return [
                    await SendAsync(HttpMethod.Post, "/users/login", null, Json(new { email = Owner.User.Email, password = Owner.Password })),
                    await SendAsync(HttpMethod.Post, "/users/login", null, new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "password", ["username"] = Owner.User.Email, ["password"] = Owner.Password,
                    })),
                    await SendAsync(HttpMethod.Post, "/users/login", null, Json(new { email = Owner.User.Email, password = "wrong-password" })),
                    // The token endpoint's RFC 6749 refusals (application/json): invalid_grant, invalid_request, invalid_client.
                    await SendAsync(HttpMethod.Post, "/users/login", null, new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "password", ["username"] = Owner.User.Email, ["password"] = "wrong-password",
                    })),
                    await SendAsync(HttpMethod.Post, "/users/login", null, new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" })),
                    await SendAsync(HttpMethod.Post, "/users/login", null, new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "refresh_token", ["refresh_token"] = "x", ["client_id"] = "not-a-client",
                    })),
                ];
            case "RefreshTokens":
                var session = await UsersApiClient.LoginAsync(client, Other.User.Email, Other.Password);
                return [
                    await SendAsync(HttpMethod.Post, "/users/refresh", null, Json(new { refreshToken = session.RefreshToken })),
                    await SendAsync(HttpMethod.Post, "/users/refresh", null, Json(new { refreshToken = "not-a-refresh-token" })),
                ];
            case "Logout":
                var leaving = await UsersApiClient.LoginAsync(client, Other.User.Email, Other.Password);
                return [await SendAsync(HttpMethod.Post, "/users/logout", leaving.AccessToken, Json(new { refreshToken = leaving.RefreshToken }))];
            case "GetCurrentUser":
                return [await SendAsync(HttpMethod.Get, "/users/me", owner)];
            case "UpdateCurrentUser":
                return [
                    await SendAsync(HttpMethod.Put, "/users/me", owner, Json(new { displayName = "Contract Owner" })),
                    await SendAsync(HttpMethod.Put, "/users/me", owner, Json(new { displayName = "" })),
                ];
            case "GetUser":
                return [
                    await SendAsync(HttpMethod.Get, $"/users/{Owner.Id}", owner),
                    await SendAsync(HttpMethod.Get, $"/users/{Other.Id}", owner),
                    await SendAsync(HttpMethod.Get, $"/users/{unknown}", owner),
                ];
            case "ListUsers":
                return [await SendAsync(HttpMethod.Get, "/users", owner)];
            case "SetUserRoles":
                return [await SendAsync(HttpMethod.Put, $"/users/{Owner.Id}/roles", owner, Json(new { roles = new[] { "admin" } }))];
            case "CreateTask":
                var input = Json(new { title = "contract", priority = "high", tags = new[] { "contract" } });
                var taskKey = EdgeClient.NewKey();
                return [
                    await SendAsync(HttpMethod.Post, "/tasks", owner, input, taskKey),
                    await SendAsync(HttpMethod.Post, "/tasks", owner, input, taskKey),
                    await SendAsync(HttpMethod.Post, "/tasks", owner, Json(new { title = "" })),
                ];
            case "ListTasks":
                return [await SendAsync(HttpMethod.Get, "/tasks?limit=5&sort=-createdAt", owner), await SendAsync(HttpMethod.Get, "/tasks?limit=0", owner)];
            case "GetTask":
                var found = await SendAsync(HttpMethod.Get, $"/tasks/{task}", owner);
                return [
                    found,
                    await SendAsync(HttpMethod.Get, $"/tasks/{task}", owner, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", found.Header("ETag"))),
                    await SendAsync(HttpMethod.Get, $"/tasks/{unknown}", owner),
                ];
            case "ReplaceTask":
                return [
                    await SendAsync(HttpMethod.Put, $"/tasks/{task}", owner, Json(new { title = "contract, edited", assigneeId = Other.Id })),
                    await SendAsync(HttpMethod.Put, $"/tasks/{task}", owner, Json(new { title = "stale" }), configure: r => r.Headers.TryAddWithoutValidation("If-Match", "\"v1\"")),
                ];
            case "DeleteTask":
                var doomed = await SendAsync(HttpMethod.Post, "/tasks", owner, Json(new { title = "doomed" }));
                var doomedId = doomed.Json().GetProperty("id").GetString();
                return [await SendAsync(HttpMethod.Delete, $"/tasks/{doomedId}", owner), await SendAsync(HttpMethod.Delete, $"/tasks/{unknown}", owner)];
            case "AddComment":
                var comment = Json(new { body = "contract comment" });
                var commentKey = EdgeClient.NewKey();
                return [
                    await SendAsync(HttpMethod.Post, $"/tasks/{task}/comments", owner, comment, commentKey),
                    await SendAsync(HttpMethod.Post, $"/tasks/{task}/comments", owner, comment, commentKey),
                    await SendAsync(HttpMethod.Post, $"/tasks/{task}/comments", owner, Json(new { body = "" })),
                ];
            case "ListComments":
                return [await SendAsync(HttpMethod.Get, $"/tasks/{task}/comments", owner)];
            case "ListNotifications":
                return [await SendAsync(HttpMethod.Get, "/notifications?limit=10", Other.AccessToken), await SendAsync(HttpMethod.Get, "/notifications?unread=maybe", Other.AccessToken)];
            case "MarkNotificationRead":
                var readKey = EdgeClient.NewKey();
                return [
                    await SendAsync(HttpMethod.Post, $"/notifications/{_notificationId}/read", Other.AccessToken, key: readKey),
                    await SendAsync(HttpMethod.Post, $"/notifications/{_notificationId}/read", Other.AccessToken, key: readKey),
                    await SendAsync(HttpMethod.Post, $"/notifications/{unknown}/read", Other.AccessToken),
                ];
            case "StreamNotifications":
                return [await OpenStreamAsync(Other.AccessToken)];
            case "OpenIdConfiguration":
                return [await SendAsync(HttpMethod.Get, "/.well-known/openid-configuration", null)];
            case "OAuthAuthorizationServerMetadata":
                return [await SendAsync(HttpMethod.Get, "/.well-known/oauth-authorization-server", null)];
            case "JsonWebKeySet":
                return [await SendAsync(HttpMethod.Get, "/.well-known/jwks.json", null)];
            default:
                // An operation added later: a GET is called with what this user knows (its ids, the other user's email).
                return operation.Method == "GET" ? [await SendAsync(operation, owner)] : [];
        }
    }

    /// <summary>The operation with placeholders filled from this scenario (or fresh ids), e.g. for the 401 check.</summary>
    public Task<CapturedResponse> SendAsync(OpenApiDocumentContract.Operation operation, string? token)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var path = operation.Path
            .Replace("{id}", operation.Path.StartsWith("/tasks", StringComparison.Ordinal) ? _taskId ?? Guid.NewGuid().ToString() : (_other?.Id ?? Guid.NewGuid()).ToString(), StringComparison.Ordinal);
        var query = new List<string>();
        foreach (var parameter in operation.Node["parameters"]?.AsArray() ?? [])
        {
            if (parameter?["in"]?.GetValue<string>() == "query" && parameter["required"]?.GetValue<bool>() == true)
            {
                var name = parameter["name"]!.GetValue<string>();
                query.Add(name + "=" + Uri.EscapeDataString(name switch
                {
                    "email" => _other?.User.Email ?? "someone@example.test",
                    _ => (_other?.Id ?? Guid.NewGuid()).ToString(),
                }));
            }
        }

        var method = new HttpMethod(operation.Method);
        if (query.Count > 0)
        {
            path += "?" + string.Join('&', query);
        }

        return operation.OperationId == "StreamNotifications" && token is not null
            ? OpenStreamAsync(token)
            : SendAsync(method, path, token, method == HttpMethod.Get || method == HttpMethod.Delete ? null : Json(new { }));
    }

    private async Task SetUpAsync()
    {
        if (_owner is not null)
        {
            return;
        }

        _owner = await UsersApiClient.RegisterAndLoginAsync(client, "Contract Owner");
        _other = await UsersApiClient.RegisterAndLoginAsync(client, "Contract Other");
        var created = await SendAsync(HttpMethod.Post, "/tasks", _owner.AccessToken, Json(new { title = "contract task", assigneeId = _other.Id }));
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        _taskId = created.Json().GetProperty("id").GetString();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_notificationId is null)
        {
            var page = await SendAsync(HttpMethod.Get, "/notifications?limit=100", _other.AccessToken);
            _notificationId = page.Json().GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("taskId").GetString() == _taskId)
                .Select(n => (Guid?)n.GetProperty("id").GetGuid())
                .FirstOrDefault();
            Assert.True(_notificationId is not null || DateTime.UtcNow < deadline, "The assignee got no notification.");
            await Task.Delay(_notificationId is null ? 100 : 0);
        }
    }

    private async Task<CapturedResponse> OpenStreamAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notifications/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        // The stream never ends: its status, headers and content type are what the contract says about it.
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new CapturedResponse(response.StatusCode, [], response.Content.Headers.ContentType?.ToString(), headers);
    }

    private async Task<CapturedResponse> SendAsync(
        HttpMethod method, string path, string? token, object? body = null, string? key = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                string json => new StringContent(json, Encoding.UTF8, "application/json"),
                HttpContent content => content,
                _ => null,
            },
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        return await CapturedResponse.ReadAsync(response);
    }

    /// <summary>A JSON body, as text, so that a replay sends exactly the same bytes in a new content object.</summary>
    private static string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
