using System.Text.Json;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Edge;

/// <summary>API.md's <c>/notifications/stream</c> through the gateway: event ids, <c>Last-Event-ID</c> replay, keep-alive.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class NotificationStreamTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Each_event_has_the_notification_id_and_a_reconnect_replays_what_was_missed_oldest_first_then_goes_live()
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(client);

        string seenId;
        await using (var stream = await SseReader.OpenAsync(client, assignee.AccessToken))
        {
            var taskId = await CreateAssignedTaskAsync(client, owner.AccessToken, assignee.Id, "seen live");
            var live = await stream.NextEventAsync(EventTimeout);
            Assert.Equal("notification", live.Event);
            var data = JsonDocument.Parse(live.Data!).RootElement;
            Assert.Equal(data.GetProperty("id").GetString(), live.Id);
            Assert.Equal(taskId, data.GetProperty("taskId").GetString());
            foreach (var field in new[] { "type", "message", "createdAt", "readAt" })
            {
                Assert.True(data.TryGetProperty(field, out _), $"event data lacks {field}: {live.Data}");
            }

            seenId = live.Id!;
        }

        // Missed while disconnected: three notifications, stored before the client comes back.
        var missed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            missed.Add(await CreateAssignedTaskAsync(client, owner.AccessToken, assignee.Id, $"missed {i}"));
        }

        var missedIds = await WaitForInboxAsync(client, assignee.AccessToken, missed);

        await using var resumed = await SseReader.OpenAsync(client, assignee.AccessToken, lastEventId: seenId);
        var replayed = new List<SseEvent>();
        for (var i = 0; i < 3; i++)
        {
            replayed.Add(await resumed.NextEventAsync(EventTimeout));
        }

        // Oldest first, exactly the missed ones, each event id = its notification id.
        Assert.True(missedIds.SequenceEqual(replayed.Select(e => e.Id ?? "")),
            $"expected {string.Join(", ", missedIds)}; replayed {string.Join(" | ", replayed.Select(e => e.Data))}");
        // (Oldest by when each notification was stored: concurrent consumers may store them in another order than the tasks were made.)
        Assert.Equal(missed.Order(), replayed.Select(e => JsonDocument.Parse(e.Data!).RootElement.GetProperty("taskId").GetString() ?? "").Order());

        // Then live, with nothing replayed twice.
        var liveTask = await CreateAssignedTaskAsync(client, owner.AccessToken, assignee.Id, "live after resume");
        var next = await resumed.NextEventAsync(EventTimeout);
        Assert.Equal(liveTask, JsonDocument.Parse(next.Data!).RootElement.GetProperty("taskId").GetString());
        Assert.DoesNotContain(next.Id, missedIds);
    }

    [Fact]
    public async Task Last_event_id_of_the_newest_notification_replays_nothing_and_an_unknown_one_just_goes_live()
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(client);
        var first = await CreateAssignedTaskAsync(client, owner.AccessToken, assignee.Id, "newest");
        var newestId = (await WaitForInboxAsync(client, assignee.AccessToken, [first]))[0];

        foreach (var lastEventId in new[] { newestId, Guid.NewGuid().ToString(), "not-an-id" })
        {
            await using var stream = await SseReader.OpenAsync(client, assignee.AccessToken, lastEventId);
            var live = await CreateAssignedTaskAsync(client, owner.AccessToken, assignee.Id, "live " + lastEventId);
            var next = await stream.NextEventAsync(EventTimeout);
            Assert.Equal(live, JsonDocument.Parse(next.Data!).RootElement.GetProperty("taskId").GetString());
        }
    }

    [Fact]
    public async Task An_idle_stream_gets_a_keep_alive_comment_within_the_15_second_interval()
    {
        using var client = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(client);
        await using var stream = await SseReader.OpenAsync(client, user.AccessToken);

        var opening = await stream.NextAsync(EventTimeout);
        Assert.StartsWith("connected", opening.Comment, StringComparison.Ordinal);
        // Nothing happens for this new user: the next thing on the wire is the keep-alive comment (default interval
        // 15 s; the timeout leaves room for a slow machine, it is not a latency assertion).
        var next = await stream.NextAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("keep-alive", next.Comment);
    }

    private static async Task<string> CreateAssignedTaskAsync(HttpClient client, string token, Guid assigneeId, string title)
    {
        var created = await EdgeClient.PostAsync(client, "/tasks", JsonSerializer.Serialize(new { title, assigneeId }), token: token);
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        return created.Json().GetProperty("id").GetString()!;
    }

    /// <summary>The ids of the notifications about <paramref name="taskIds"/>, oldest first, once all are stored.</summary>
    private static async Task<List<string>> WaitForInboxAsync(HttpClient client, string token, IReadOnlyList<string> taskIds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/notifications?limit=100", token);
            var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray()
                .Where(n => taskIds.Contains(n.GetProperty("taskId").GetString()))
                .ToList();
            if (items.Count == taskIds.Count)
            {
                // The inbox is newest first; the replay is oldest first.
                return [.. items.Select(n => n.GetProperty("id").GetString()!).Reverse()];
            }

            Assert.True(DateTime.UtcNow < deadline, $"Only {items.Count} of {taskIds.Count} notifications arrived.");
            await Task.Delay(100);
        }
    }
}
