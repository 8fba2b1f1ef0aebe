using System.Diagnostics;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;
using static TaskFlow.Tests.Notifications.NotificationsApiClient;

namespace TaskFlow.Tests.Notifications;

/// <summary>Through the real Tasks service: its MongoDB outbox, its relay, RabbitMQ, the Notifier.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class NotifierEndToEndTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task Task_created_with_an_assignee_reaches_the_assignees_inbox_and_stream()
    {
        using var tasks = PlainClients.Create(fixture, "tasks");
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(users);
        await using var stream = await EventStream.OpenAsync(notifier, assignee.AccessToken);

        // Latency is measured by bench/run.sh (event latency rows), not asserted here; 10 s only bounds the waits.
        var task = await TasksClient.CreateAsync(tasks, owner.AccessToken, new { title = "Prepare the demo", assigneeId = assignee.Id });
        var live = await stream.NextAsync(TimeSpan.FromSeconds(10));
        var (stored, _) = await WaitForAsync(notifier, assignee.AccessToken, Guid.Parse(task.Id), TimeSpan.FromSeconds(10));

        Assert.Equal(task.Id, live.TaskId.ToString());
        Assert.Equal(stored.Id, live.Id);
        Assert.Equal("task.created", stored.Type);
        Assert.Contains("Prepare the demo", stored.Message, StringComparison.Ordinal);
        Assert.True(stored.CreatedAt >= task.CreatedAt, "a notification is stored after the task it is about");
    }

    [Fact]
    public async Task Tasks_created_while_RabbitMQ_is_down_are_all_notified_exactly_once_after_it_returns()
    {
        const int count = 50;
        using var tasks = PlainClients.Create(fixture, "tasks");
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(users);

        var created = new List<Guid>();
        await fixture.StopResourceAsync("rabbitmq");
        try
        {
            for (var i = 0; i < count; i++)
            {
                var task = await TasksClient.CreateAsync(tasks, owner.AccessToken, new { title = $"Outage task {i}", assigneeId = assignee.Id });
                created.Add(Guid.Parse(task.Id));
            }

            // Nothing can have been delivered while the broker is down.
            Assert.DoesNotContain((await ListAsync(notifier, assignee.AccessToken, "?limit=100")).Items, n => created.Contains(n.TaskId));
        }
        finally
        {
            await fixture.StartResourceAsync("rabbitmq");
        }

        var clock = Stopwatch.StartNew();
        List<NotificationDto> mine;
        while (true)
        {
            mine = (await ListAsync(notifier, assignee.AccessToken, "?limit=100")).Items.Where(n => created.Contains(n.TaskId)).ToList();
            if (mine.Count >= count)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"Only {mine.Count} of {count} notifications arrived after RabbitMQ came back.");
            await Task.Delay(250);
        }

        // Give any duplicate delivery time to show up, then check: each task exactly once.
        await Task.Delay(TimeSpan.FromSeconds(2));
        mine = (await ListAsync(notifier, assignee.AccessToken, "?limit=100")).Items.Where(n => created.Contains(n.TaskId)).ToList();
        Assert.Equal(count, mine.Count);
        Assert.Equal(created.Order(), mine.Select(n => n.TaskId).Order());
        Assert.All(mine, n => Assert.Equal("task.created", n.Type));
    }
}
