using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Graph;

/// <summary><c>GET /users/batch</c>, the DataLoader's endpoint: public profiles only, unknown ids left out, 1-100 ids.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class UserBatchEndpointTests(TaskFlowAppFixture fixture) : IDisposable
{
    private readonly HttpClient _gateway = fixture.CreateGatewayClient();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Batch_returns_public_profiles_of_known_ids_and_validates_the_list()
    {
        var caller = await UsersApiClient.RegisterAndLoginAsync(_gateway);
        var other = await UsersApiClient.RegisterAndLoginAsync(_gateway, displayName: "Batch other");
        var unknown = Guid.NewGuid();

        using (var response = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Get, $"/users/batch?ids={other.Id},{unknown},{caller.Id}", caller.AccessToken))
        {
            await UsersApiClient.EnsureStatusAsync(response, HttpStatusCode.OK);
            var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(new[] { caller.Id, other.Id }.Order(), items.Select(i => i.GetProperty("id").GetGuid()).Order());
            Assert.All(items, i => Assert.Equal(["displayName", "id"], i.EnumerateObject().Select(p => p.Name).Order()));
            Assert.Contains(items, i => i.GetProperty("displayName").GetString() == "Batch other");
        }

        var tooMany = string.Join(',', Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()));
        foreach (var ids in new[] { "", "not-a-uuid", tooMany })
        {
            using var bad = await UsersApiClient.SendAuthorizedAsync(_gateway, HttpMethod.Get, $"/users/batch?ids={ids}", caller.AccessToken);
            await UsersApiClient.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        }

        using var anonymous = await _gateway.GetAsync($"/users/batch?ids={caller.Id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
