using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Edge;

/// <summary>
/// A replica's LISTEN connection hears a committed notification some time after the commit, so a stream can open
/// (and the inbox can show the notification) before that replica's signal of it arrives. The late signal of a
/// notification stored before the stream opened must not reach the stream as live: the caller has it already, by
/// history or by what its Last-Event-ID covers. The test sends such a late signal itself, on the notifier's channel,
/// followed in the same transaction by the signal of a notification that is new to the stream: that one must be the
/// next event, which also shows the injected signals reached the stream.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class NotificationStreamLateSignalTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_late_signal_of_a_notification_stored_before_the_stream_opened_is_not_sent_live(bool resumeFromIt)
    {
        using var client = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(client);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(client);
        var created = await EdgeClient.PostAsync(client, "/tasks", JsonSerializer.Serialize(new { title = "stored before", assigneeId = assignee.Id }), token: owner.AccessToken);
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        var stored = await WaitForNotificationAsync(client, assignee.AccessToken, created.Json().GetProperty("id").GetString()!);
        var storedId = stored["id"]!.GetValue<string>();

        await using var stream = await SseReader.OpenAsync(client, assignee.AccessToken, resumeFromIt ? storedId : null);
        var fresh = stored.DeepClone().AsObject();
        fresh["id"] = Guid.CreateVersion7().ToString();
        fresh["message"] = "new to the stream";
        fresh["createdAt"] = DateTimeOffset.UtcNow.ToString("O");
        await SignalAsync(assignee.Id, stored, fresh);

        var next = await stream.NextEventAsync(EventTimeout);
        Assert.True(next.Id == fresh["id"]!.GetValue<string>(),
            $"expected the new notification {fresh["id"]} next, got {next.Id} (the stored one is {storedId})");
    }

    /// <summary>Both signals in one transaction: PostgreSQL delivers a transaction's notifications in the order sent.</summary>
    private async Task SignalAsync(Guid userId, params JsonObject[] notifications)
    {
        var connectionString = await fixture.GetConnectionStringAsync(TaskFlow.Notifier.NotifierResources.Database)
            ?? throw new InvalidOperationException("No notificationsdb connection string.");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var notification in notifications)
        {
            var payload = new JsonObject { ["userId"] = userId.ToString(), ["notification"] = notification.DeepClone() };
            await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection, transaction);
            command.Parameters.AddWithValue("channel", TaskFlow.Notifier.NotifierResources.NotifyChannel);
            command.Parameters.AddWithValue("payload", payload.ToJsonString());
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task<JsonObject> WaitForNotificationAsync(HttpClient client, string token, string taskId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await UsersApiClient.SendAuthorizedAsync(client, HttpMethod.Get, "/notifications?limit=100", token);
            var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
            if (items.FirstOrDefault(n => n?["taskId"]?.GetValue<string>() == taskId) is JsonObject found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The notification about task {taskId} did not arrive.");
            await Task.Delay(100);
        }
    }
}
