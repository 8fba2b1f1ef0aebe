using System.Net.Http.Headers;
using System.Text.Json;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Notifications.NotificationsApiClient;

namespace TaskFlow.Tests.Notifications;

[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class NotificationsApiTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Inbox_pages_newest_first_with_an_opaque_cursor()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var user = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var taskIds = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var taskId = Guid.NewGuid();
            taskIds.Add(taskId);
            await broker.PublishAsync(new TaskCreated(taskId, user.Id, null, $"Task {i}", "todo", user.Id, 1, DateTimeOffset.UtcNow));
            // One at a time, so creation order is the publishing order.
            await WaitForAsync(notifier, user.AccessToken, taskId, TimeSpan.FromSeconds(10));
        }

        var seen = new List<NotificationDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync(notifier, user.AccessToken, "?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(taskIds.AsEnumerable().Reverse(), seen.Select(n => n.TaskId));
        Assert.Equal(seen.Select(n => n.Id).Distinct().Count(), seen.Count);
    }

    [Fact]
    public async Task Mark_read_is_204_for_the_owner_404_for_anyone_else_and_unread_filter_follows()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var user = await UsersApiClient.RegisterAndLoginAsync(users);
        var stranger = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var taskId = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(taskId, user.Id, null, "Read me", "todo", user.Id, 1, DateTimeOffset.UtcNow));
        var (notification, _) = await WaitForAsync(notifier, user.AccessToken, taskId, TimeSpan.FromSeconds(10));
        Assert.Contains((await ListAsync(notifier, user.AccessToken, "?unread=true&limit=100")).Items, n => n.Id == notification.Id);

        using (var strangers = await PostReadAsync(notifier, stranger.AccessToken, notification.Id))
        {
            Assert.Equal(HttpStatusCode.NotFound, strangers.StatusCode);
            Assert.Equal("application/problem+json", strangers.Content.Headers.ContentType?.MediaType);
        }

        using (var unknown = await PostReadAsync(notifier, user.AccessToken, Guid.NewGuid()))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var read = await PostReadAsync(notifier, user.AccessToken, notification.Id))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }

        var after = (await ListAsync(notifier, user.AccessToken, "?limit=100")).Items.Single(n => n.Id == notification.Id);
        Assert.NotNull(after.ReadAt);
        Assert.DoesNotContain((await ListAsync(notifier, user.AccessToken, "?unread=true&limit=100")).Items, n => n.Id == notification.Id);

        // Reading again keeps the first read time.
        using (var again = await PostReadAsync(notifier, user.AccessToken, notification.Id))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        Assert.Equal(after.ReadAt, (await ListAsync(notifier, user.AccessToken, "?limit=100")).Items.Single(n => n.Id == notification.Id).ReadAt);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?unread=maybe", "unread")]
    [InlineData("?cursor=garbage!", "cursor")]
    public async Task Bad_query_is_a_400_validation_problem(string query, string field)
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var user = await UsersApiClient.RegisterAndLoginAsync(users);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notifications" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await notifier.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("GET", "/notifications")]
    [InlineData("GET", "/notifications/stream")]
    [InlineData("POST", "/notifications/3fa85f64-5717-4562-b3fc-2c963f66afa6/read")]
    public async Task Without_a_token_every_route_is_401(string method, string path)
    {
        using var notifier = PlainClients.Create(fixture, "notifier");
        using var response = await notifier.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Inbox_is_reachable_through_the_gateway()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var gateway = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var taskId = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(taskId, user.Id, null, "Via gateway", "todo", user.Id, 1, DateTimeOffset.UtcNow));
        var (notification, _) = await WaitForAsync(gateway, user.AccessToken, taskId, TimeSpan.FromSeconds(10));
        Assert.Equal("task.created", notification.Type);
    }

    [Fact]
    public async Task Stream_works_through_the_gateway()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var gateway = fixture.CreateGatewayClient();
        var user = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var stream = await EventStream.OpenAsync(gateway, user.AccessToken);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var taskId = Guid.NewGuid();
        await broker.PublishAsync(new TaskCreated(taskId, user.Id, null, "Streamed via gateway", "todo", user.Id, 1, DateTimeOffset.UtcNow));
        var received = await stream.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(taskId, received.TaskId);
    }

    private static Task<HttpResponseMessage> PostReadAsync(HttpClient client, string token, Guid id)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/notifications/{id}/read");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
