using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Tasks;

/// <summary>What a client of the Tasks API sees, plus shortcuts for users with tokens.</summary>
public sealed class TasksTestClient(TaskFlowAppFixture fixture, HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = http;

    public sealed record TaskDto(
        string Id, string OwnerId, string Title, string? Description, string Status, string Priority,
        DateTime? DueDate, string? AssigneeId, string[] Tags, DateTime CreatedAt, DateTime UpdatedAt, long Version);

    public sealed record CommentDto(string Id, string TaskId, string AuthorId, string Body, DateTime CreatedAt);

    public sealed record PageDto<T>(T[] Items, string? NextCursor);

    /// <summary>A fresh user (registered and logged in through the Users service).</summary>
    public async Task<UsersApiClient.SignedInUser> NewUserAsync()
    {
        using var users = fixture.CreateClient("users");
        return await UsersApiClient.RegisterAndLoginAsync(users);
    }

    public async Task<UsersApiClient.SignedInUser> AdminAsync()
    {
        using var users = fixture.CreateClient("users");
        return await UsersApiClient.LoginAsAdminAsync(fixture, users);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public async Task<TaskDto> CreateAsync(string token, object input)
    {
        using var response = await SendAsync(HttpMethod.Post, "/tasks", token, input);
        await ExpectAsync(response, HttpStatusCode.Created);
        return await ReadAsync<TaskDto>(response);
    }

    public async Task<TaskDto> GetAsync(string token, string id)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/tasks/{id}", token);
        await ExpectAsync(response, HttpStatusCode.OK);
        return await ReadAsync<TaskDto>(response);
    }

    public async Task<PageDto<TaskDto>> ListAsync(string token, string query)
    {
        using var response = await SendAsync(HttpMethod.Get, "/tasks" + query, token);
        await ExpectAsync(response, HttpStatusCode.OK);
        return await ReadAsync<PageDto<TaskDto>>(response);
    }

    /// <summary>Follows nextCursor until the end.</summary>
    public async Task<List<TaskDto>> ListAllAsync(string token, string query)
    {
        var all = new List<TaskDto>();
        string? cursor = null;
        var separator = query.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        do
        {
            var page = await ListAsync(token, cursor is null ? query : $"{query}{separator}cursor={Uri.EscapeDataString(cursor)}");
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return all;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>(Json) ?? throw new InvalidOperationException("Empty body.");

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem with the given status; returns the parsed body.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        await ExpectAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement.Clone();
        Assert.Equal((int)expected, root.GetProperty("status").GetInt32());
        Assert.True(root.TryGetProperty("title", out _), body);
        Assert.True(root.TryGetProperty("traceId", out _), body);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return root;
    }

    public static async Task<string[]> ExpectValidationErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), problem.ToString());
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error on '{field}': {errors}");
        return messages.EnumerateArray().Select(m => m.GetString() ?? "").ToArray();
    }
}
