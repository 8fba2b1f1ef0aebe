using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Users;

/// <summary>
/// Client helpers for the Users API, for any test that needs accounts and tokens: register, log in, authorize a
/// client, and the bootstrap admin's credentials. Works against the Users service directly or through the gateway.
/// </summary>
public static class UsersApiClient
{
    public const string DefaultPassword = "correct-horse-battery";

    public sealed record UserDto(Guid Id, string Email, string DisplayName, string[] Roles, DateTimeOffset CreatedAt);

    public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

    /// <summary>An account with its password and a fresh token pair.</summary>
    public sealed record SignedInUser(UserDto User, string Password, TokenPair Tokens)
    {
        public Guid Id => User.Id;

        public string AccessToken => Tokens.AccessToken;
    }

    /// <summary>A unique address on a reserved domain (RFC 2606), so tests never collide.</summary>
    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.test";

    public static async Task<UserDto> RegisterAsync(HttpClient client, string? email = null, string password = DefaultPassword, string? displayName = null)
    {
        email ??= NewEmail();
        using var response = await client.PostAsJsonAsync("/users/register", new { email, password, displayName = displayName ?? "Test " + email[..8] });
        await EnsureStatusAsync(response, HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<UserDto>() ?? throw new InvalidOperationException("Empty register response.");
    }

    public static async Task<TokenPair> LoginAsync(HttpClient client, string email, string password)
    {
        using var response = await client.PostAsJsonAsync("/users/login", new { email, password });
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<TokenPair>() ?? throw new InvalidOperationException("Empty login response.");
    }

    public static async Task<SignedInUser> RegisterAndLoginAsync(HttpClient client, string? displayName = null, string password = DefaultPassword)
    {
        var user = await RegisterAsync(client, password: password, displayName: displayName);
        return new SignedInUser(user, password, await LoginAsync(client, user.Email, password));
    }

    public static async Task<TokenPair> RefreshAsync(HttpClient client, string refreshToken)
    {
        using var response = await client.PostAsJsonAsync("/users/refresh", new { refreshToken });
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<TokenPair>() ?? throw new InvalidOperationException("Empty refresh response.");
    }

    /// <summary>A request carrying <c>Authorization: Bearer</c>; leaves the client's defaults alone.</summary>
    public static HttpRequestMessage Authorized(HttpMethod method, string path, string accessToken, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> SendAuthorizedAsync(HttpClient client, HttpMethod method, string path, string accessToken, object? json = null)
    {
        using var request = Authorized(method, path, accessToken, json);
        return await client.SendAsync(request);
    }

    /// <summary>The bootstrap admin's credentials, as the AppHost passed them to the Users service.</summary>
    public static async Task<(string Email, string Password)> GetAdminCredentialsAsync(TaskFlowAppFixture fixture)
    {
        var environment = await GetUsersEnvironmentAsync(fixture);
        return (environment["Users__Admin__Email"], environment["Users__Admin__Password"]);
    }

    public static async Task<SignedInUser> LoginAsAdminAsync(TaskFlowAppFixture fixture, HttpClient client)
    {
        var (email, password) = await GetAdminCredentialsAsync(fixture);
        var tokens = await LoginAsync(client, email, password);
        using var me = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", tokens.AccessToken);
        await EnsureStatusAsync(me, HttpStatusCode.OK);
        var user = await me.Content.ReadFromJsonAsync<UserDto>() ?? throw new InvalidOperationException("Empty /users/me response.");
        return new SignedInUser(user, password, tokens);
    }

    /// <summary>Where the Users service keeps its generated development signing key in this run.</summary>
    public static async Task<string> GetDevelopmentKeyPathAsync(TaskFlowAppFixture fixture)
    {
        var environment = await GetUsersEnvironmentAsync(fixture);
        return Path.Combine(environment["Users__Tokens__KeyDirectory"], TaskFlow.Users.Infrastructure.Tokens.SigningKeyRing.DevelopmentKeyFileName);
    }

    /// <summary>The JSON payload of a JWT, decoded without validation (for assertions on claims).</summary>
    public static JsonElement ReadPayload(string jwt)
    {
        var parts = jwt.Split('.');
        var json = Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Decode(parts[1]));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>The <c>role</c> claims of a JWT (an array, or one string).</summary>
    public static string[] ReadRoles(string jwt)
    {
        var role = ReadPayload(jwt).GetProperty("role");
        return role.ValueKind == JsonValueKind.Array
            ? [.. role.EnumerateArray().Select(r => r.GetString() ?? "")]
            : [role.GetString() ?? ""];
    }

    public static JsonElement ReadHeader(string jwt)
    {
        var json = Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Decode(jwt.Split('.')[0]));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public static async Task EnsureStatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        }
    }

    /// <summary>Asserts an RFC 9457 answer: problem+json with the status, a title and a traceId; returns the body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("   at ", body); // no stack trace
        return problem;
    }

    /// <summary>A 400 validation problem whose <c>errors</c> names <paramref name="field"/>.</summary>
    public static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no errors.{field} in {problem}");
        Assert.True(messages.GetArrayLength() > 0);
    }

    private static async Task<Dictionary<string, string>> GetUsersEnvironmentAsync(TaskFlowAppFixture fixture)
    {
        var services = fixture.App.Services;
        var users = services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Single(r => r.Name == "users");
        var configuration = await ExecutionConfigurationBuilder.Create(users)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(services.GetRequiredService<Aspire.Hosting.DistributedApplicationExecutionContext>(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
    }
}
