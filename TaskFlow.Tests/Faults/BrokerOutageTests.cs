using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Notifications;
using TaskFlow.Tests.Users;
using Xunit.Abstractions;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// docs/API.md, "Operations": with RabbitMQ hung (SIGSTOP of its Erlang VM: connections neither fail nor answer) or
/// stopped, every write through the gateway still succeeds in its normal time (events wait in the outbox, no service's
/// readiness includes the broker); after it recovers each event is notified exactly once.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class BrokerOutageTests(TaskFlowAppFixture fixture, ITestOutputHelper output)
{
    /// <summary>Longer than the gateway needs to take a service out of rotation (2 failed probes, 5 s apart).</summary>
    private static readonly TimeSpan FaultWindow = TimeSpan.FromSeconds(16);

    [Fact]
    public async Task Writes_through_the_gateway_succeed_while_the_broker_hangs_and_every_event_is_notified_once_after_it_resumes()
    {
        var pid = BrokerProcess.Find(fixture.DataRoot);
        await RunDrillAsync(
            "SIGSTOP",
            async () =>
            {
                BrokerProcess.Pause(pid);
                // Every thread of the VM stops within moments of the signal.
                Assert.True(await BrokerProcess.WaitForStateAsync(pid, state => state == 'T'), $"beam.smp {pid} is not stopped");
                Assert.False(await AnswersAmqpAsync(), "the paused broker still answered AMQP");
            },
            async () =>
            {
                BrokerProcess.Resume(pid);
                Assert.True(await BrokerProcess.WaitForStateAsync(pid, state => state != 'T'), $"beam.smp {pid} did not resume");
            });
    }

    [Fact]
    public async Task Writes_through_the_gateway_succeed_while_the_broker_is_stopped_and_every_event_is_notified_once_after_it_starts()
    {
        await RunDrillAsync(
            "resource-stop",
            async () =>
            {
                await fixture.StopResourceAsync("rabbitmq");
                await fixture.AssertNotListeningAsync("rabbitmq");
            },
            () => fixture.StartResourceAsync("rabbitmq"));
    }

    private async Task RunDrillAsync(string fault, Func<Task> inject, Func<Task> undo)
    {
        await FaultDrill.WaitForEverythingHealthyAsync(fixture);
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(gateway);
        using var users = fixture.CreateClient("users");
        using var tasks = fixture.CreateClient("tasks");
        using var notifier = PlainClients.Create(fixture, "notifier");

        var answers = new List<DrillAnswer>();
        var created = new List<Guid>();
        var readiness = new List<(string Service, int Status)>();
        var faultClock = Stopwatch.StartNew();
        try
        {
            await inject();
            faultClock.Restart();
            // The services see the broker gone (the health detail says so) and stay ready (HTTP 200).
            readiness.Add(("users", await FaultDrill.WaitForHealthEntryAsync(users, "rabbitmq", "Degraded", TimeSpan.FromSeconds(30))));
            readiness.Add(("tasks", await FaultDrill.WaitForHealthEntryAsync(tasks, "rabbitmq", "Degraded", TimeSpan.FromSeconds(30))));

            for (var i = 0; faultClock.Elapsed < FaultWindow; i++)
            {
                var task = await FaultDrill.SendAsync(gateway, HttpMethod.Post, "/tasks", owner.AccessToken,
                    new { title = $"{fault} drill {i}", assigneeId = assignee.Id }, FaultDrill.NormalTimeout * 2);
                answers.Add(task);
                if (task.Status == 201)
                {
                    created.Add(JsonDocument.Parse(task.Body).RootElement.GetProperty("id").GetGuid());
                }

                if (i % 3 == 0)
                {
                    // A new client (its own client IP) per registration: the anonymous rate limit is not what is tested.
                    using var anonymous = fixture.CreateGatewayClient();
                    answers.Add(await FaultDrill.SendAsync(anonymous, HttpMethod.Post, "/users/register", null,
                        new { email = UsersApiClient.NewEmail("drill"), password = UsersApiClient.DefaultPassword, displayName = "Drill" }, FaultDrill.NormalTimeout * 2));
                }

                await Task.Delay(400);
            }
        }
        finally
        {
            await undo();
        }

        var recovery = Stopwatch.StartNew();
        var notified = await WaitForNotificationsAsync(notifier, assignee.AccessToken, created, TimeSpan.FromSeconds(90));
        var deliveredIn = recovery.Elapsed;
        var usersOutboxDrained = await DependencyWaitAsync(async () => await UnpublishedUserEventsAsync() == 0, TimeSpan.FromSeconds(60));
        // Give a duplicate delivery time to show up before counting.
        await Task.Delay(TimeSpan.FromSeconds(2));
        notified = await NotificationsPerTaskAsync(notifier, assignee.AccessToken, created);

        var succeeded = answers.Count(a => a.IsSuccess);
        output.WriteLine($"drill {fault}: {answers.Count} writes attempted during {FaultWindow.TotalSeconds:F0} s, {succeeded} succeeded, " +
            $"slowest {answers.Max(a => a.Elapsed).TotalMilliseconds:F0} ms; {created.Count} tasks created, {notified.Count(n => n.Value == 1)} notified once, " +
            $"{created.Count - notified.Count} lost, {notified.Count(n => n.Value > 1)} duplicated; all notified {deliveredIn.TotalSeconds:F1} s after the broker was back; " +
            $"users outbox drained: {usersOutboxDrained}");

        Assert.All(readiness, r => Assert.True(r.Status == 200, $"{r.Service} was not ready (HTTP {r.Status}) while the broker was away"));
        Assert.All(answers, a => Assert.True(a.IsSuccess && a.Elapsed < FaultDrill.NormalTimeout, a.ToString()));
        Assert.All(created, id => Assert.True(notified.GetValueOrDefault(id) == 1, $"task {id} notified {notified.GetValueOrDefault(id)} times"));
        Assert.True(usersOutboxDrained, "Users' outbox still holds unpublished events a minute after the broker was back");

        await FaultDrill.WaitForEverythingHealthyAsync(fixture);
    }

    private async Task<bool> AnswersAmqpAsync()
    {
        var endpoint = fixture.App.GetEndpoint("rabbitmq", "tcp");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            await client.GetStream().WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), timeout.Token);
            return await client.GetStream().ReadAsync(new byte[8], timeout.Token) > 0;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<Dictionary<Guid, int>> WaitForNotificationsAsync(HttpClient notifier, string token, List<Guid> created, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var notified = await NotificationsPerTaskAsync(notifier, token, created);
            if (notified.Count >= created.Count || clock.Elapsed > within)
            {
                return notified;
            }

            await Task.Delay(250);
        }
    }

    private static async Task<Dictionary<Guid, int>> NotificationsPerTaskAsync(HttpClient notifier, string token, List<Guid> created)
    {
        var page = await NotificationsApiClient.ListAsync(notifier, token, "?limit=100");
        return page.Items.Where(n => created.Contains(n.TaskId)).GroupBy(n => n.TaskId).ToDictionary(g => g.Key, g => g.Count());
    }

    private async Task<long> UnpublishedUserEventsAsync()
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync("usersdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL AND failed_at IS NULL", connection);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    private static Task<bool> DependencyWaitAsync(Func<Task<bool>> condition, TimeSpan within) =>
        Distributed.DependencyHealthTests.EventuallyAsync(condition, within);
}
