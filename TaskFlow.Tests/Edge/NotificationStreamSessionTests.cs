using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Edge;

/// <summary>
/// API.md "Sessions at the edge" and the stream row: an open <c>/notifications/stream</c> ends within a second of its
/// session's logout, a refresh-token reuse or a role change of its user, and nothing created after is delivered on
/// it; at most 5 streams per user at once (across gateway replicas), the 6th 429 with Retry-After.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class NotificationStreamSessionTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(1);

    public enum Revocation
    {
        Logout,
        RefreshReuse,
        RoleChange,
    }

    [Theory]
    [InlineData(Revocation.Logout)]
    [InlineData(Revocation.RefreshReuse)]
    [InlineData(Revocation.RoleChange)]
    public async Task A_live_stream_ends_within_a_second_of_the_revocation_and_delivers_nothing_created_after(Revocation revocation)
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(client);
        var (streamToken, refreshUsed) = (assignee.AccessToken, assignee.Tokens.RefreshToken);
        if (revocation == Revocation.RefreshReuse)
        {
            // The stream runs on the rotated session's token; the reuse of the first refresh token revokes that session.
            var rotated = await UsersApiClient.RefreshAsync(client, assignee.Tokens.RefreshToken);
            streamToken = rotated.AccessToken;
        }

        var admin = revocation == Revocation.RoleChange ? await UsersApiClient.LoginAsAdminAsync(fixture, client) : null;
        await using var stream = await SseReader.OpenAsync(client, streamToken);
        var before = await CreateAssignedTaskAsync(client, owner.AccessToken, assignee.Id, "before the revocation");
        var live = await stream.NextEventAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(before, TaskIdOf(live));

        var clock = Stopwatch.StartNew();
        await RevokeAsync(client, revocation, streamToken, refreshUsed, admin, assignee);
        var revokedAt = clock.Elapsed;
        var after = await CreateAssignedTaskAsync(client, owner.AccessToken, assignee.Id, "after the revocation");

        var delivered = new List<SseEvent>();
        var ended = false;
        while (clock.Elapsed < revokedAt + TimeSpan.FromSeconds(5))
        {
            try
            {
                var next = await stream.NextAsync(revokedAt + TimeSpan.FromSeconds(5) - clock.Elapsed);
                delivered.Add(next);
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or HttpRequestException)
            {
                ended = true;
                break;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var closedAfter = clock.Elapsed - revokedAt;
        Assert.True(ended, $"the stream was still open 5 s after the {revocation}");
        Assert.True(closedAfter <= CloseWithin, $"the stream ended {closedAfter.TotalMilliseconds:F0} ms after the {revocation} (at most 1 s)");
        Assert.DoesNotContain(delivered, e => e.Data is not null && TaskIdOf(e) == after);
        Assert.DoesNotContain(delivered, e => e.Data is not null);

        // The notification itself exists: only the revoked stream did not carry it.
        var fresh = await UsersApiClient.LoginAsync(client, assignee.User.Email, assignee.Password);
        Assert.True(await InboxHoldsAsync(client, fresh.AccessToken, after), "the notification created after the revocation was never stored");
    }

    [Fact]
    public async Task A_sixth_concurrent_stream_of_one_user_is_429_with_retry_after_and_closing_one_frees_a_slot()
    {
        var user = await RegisterWithClientAsync();
        var clients = new List<HttpClient>();
        var streams = new List<SseReader>();
        try
        {
            // One connection per client: the five are spread over both gateway replicas.
            for (var i = 0; i < 5; i++)
            {
                var client = fixture.CreateGatewayClient();
                clients.Add(client);
                streams.Add(await SseReader.OpenAsync(client, user.AccessToken));
            }

            using var sixthClient = fixture.CreateGatewayClient();
            using (var sixth = await OpenRawAsync(sixthClient, user.AccessToken))
            {
                // The status first: a sixth stream that was let through never ends, so its body must not be read.
                Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
                var problem = await UsersApiClient.AssertProblemAsync(sixth, HttpStatusCode.TooManyRequests);
                Assert.NotNull(sixth.Headers.RetryAfter?.Delta);
                Assert.InRange(sixth.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
                Assert.Contains("5", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            // Another user is not affected.
            var other = await RegisterWithClientAsync();
            await using (await SseReader.OpenAsync(sixthClient, other.AccessToken))
            {
            }

            // Closing one stream frees its slot at once.
            await streams[0].DisposeAsync();
            streams.RemoveAt(0);
            var reopened = false;
            var deadline = Stopwatch.StartNew();
            while (!reopened && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                using var attempt = await OpenRawAsync(sixthClient, user.AccessToken);
                reopened = attempt.StatusCode == HttpStatusCode.OK;
                if (!reopened)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(reopened, "no stream could be opened after one of the five closed");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task<UsersApiClient.SignedInUser> RegisterWithClientAsync()
    {
        using var client = fixture.CreateGatewayClient();
        return await UsersApiClient.RegisterAndLoginAsync(client);
    }

    private static async Task<HttpResponseMessage> OpenRawAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notifications/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task RevokeAsync(HttpClient client, Revocation revocation, string streamToken, string refreshToken,
        UsersApiClient.SignedInUser? admin, UsersApiClient.SignedInUser assignee)
    {
        switch (revocation)
        {
            case Revocation.Logout:
                using (var logout = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Post, "/users/logout", streamToken, new { refreshToken }))
                {
                    Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
                }

                break;
            case Revocation.RefreshReuse:
                using (var reuse = await client.PostAsJsonAsync("/users/refresh", new { refreshToken }))
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
                }

                break;
            case Revocation.RoleChange:
                using (var change = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Put, $"/users/{assignee.Id}/roles",
                    admin?.AccessToken ?? throw new InvalidOperationException("No admin."), new { roles = new[] { "user", "admin" } }))
                {
                    Assert.Equal(HttpStatusCode.OK, change.StatusCode);
                }

                break;
        }
    }

    private static string? TaskIdOf(SseEvent e) =>
        JsonDocument.Parse(e.Data ?? "{}").RootElement.TryGetProperty("taskId", out var id) ? id.GetString() : null;

    private static async Task<string> CreateAssignedTaskAsync(HttpClient client, string token, Guid assigneeId, string title)
    {
        var created = await EdgeClient.PostAsync(client, "/tasks", JsonSerializer.Serialize(new { title, assigneeId }), token: token);
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        return created.Json().GetProperty("id").GetString()!;
    }

    private static async Task<bool> InboxHoldsAsync(HttpClient client, string token, string taskId)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/notifications?limit=100", token);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains(taskId, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
