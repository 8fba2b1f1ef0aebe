using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using static TaskFlow.Tests.Users.UsersApiClient;

namespace TaskFlow.Tests.Users;

/// <summary>GET /users/lookup?email= through the gateway: how a client picks an assignee by email.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class UserLookupTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Lookup_finds_an_exact_email_case_insensitively_and_returns_only_id_and_display_name()
    {
        using var gateway = fixture.CreateGatewayClient();
        var caller = await RegisterAndLoginAsync(gateway);
        var email = NewEmail("Lookup.Target");
        var target = await RegisterAsync(gateway, email: email, displayName: "Lookup Target");

        using var response = await SendAuthorizedAsync(gateway, HttpMethod.Get, $"/users/lookup?email={Uri.EscapeDataString(email.ToUpperInvariant())}", caller.AccessToken);
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(target.Id, body.RootElement.GetProperty("id").GetGuid());
        Assert.Equal("Lookup Target", body.RootElement.GetProperty("displayName").GetString());
        Assert.False(body.RootElement.TryGetProperty("email", out _), "the lookup must not echo other users' data");
        Assert.False(body.RootElement.TryGetProperty("roles", out _));

        // Exact match only: a prefix of the address is not a match.
        using var prefix = await SendAuthorizedAsync(gateway, HttpMethod.Get, $"/users/lookup?email={Uri.EscapeDataString(email[..^1])}", caller.AccessToken);
        await AssertProblemAsync(prefix, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lookup_of_an_unknown_email_is_404_problem()
    {
        using var gateway = fixture.CreateGatewayClient();
        var caller = await RegisterAndLoginAsync(gateway);
        using var response = await SendAuthorizedAsync(gateway, HttpMethod.Get, $"/users/lookup?email={Uri.EscapeDataString(NewEmail("nobody"))}", caller.AccessToken);
        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/users/lookup")]
    [InlineData("/users/lookup?email=")]
    [InlineData("/users/lookup?email=not-an-email")]
    public async Task Lookup_without_a_valid_email_is_400_naming_the_field(string path)
    {
        using var gateway = fixture.CreateGatewayClient();
        var caller = await RegisterAndLoginAsync(gateway);
        using var response = await SendAuthorizedAsync(gateway, HttpMethod.Get, path, caller.AccessToken);
        await AssertValidationProblemAsync(response, "email");
    }

    [Fact]
    public async Task Lookup_needs_a_token()
    {
        using var users = fixture.CreateClient("users");
        using var response = await users.GetAsync("/users/lookup?email=someone@example.test");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
