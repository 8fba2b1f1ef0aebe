using TaskFlow.Messaging.Contracts;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Notifications;
using TaskFlow.Tests.Users;
using Xunit.Abstractions;
using static TaskFlow.Tests.Webhooks.WebhookTestSupport;

namespace TaskFlow.Tests.Webhooks;

/// <summary>
/// Measures (prints, does not assert) delivery latency at 50 events/s to one receiver for 20 s: task.created events
/// published to the exchange, until the receiver has the POST. Asserts only that every event arrived.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class WebhookLatencyMeasurement(TaskFlowAppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Delivery_latency_at_50_events_per_second_is_measured_and_every_event_arrives()
    {
        const int rate = 50;
        const int seconds = 20;
        await using var receiver = await WebhookReceiver.StartAsync();
        using var gateway = fixture.CreateGatewayClient();
        var owner = await UsersApiClient.RegisterAndLoginAsync(gateway);
        await CreateAsync(gateway, owner.AccessToken, receiver.Url, "task.created");
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < rate * seconds; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > started.Elapsed)
            {
                await Task.Delay(due - started.Elapsed);
            }

            await broker.PublishAsync(new TaskCreated(Guid.NewGuid(), owner.Id, null, $"Load {i}", "todo", owner.Id, 1, DateTimeOffset.UtcNow));
        }

        var received = await receiver.WaitForAsync(rate * seconds, TimeSpan.FromSeconds(60));
        var latencies = received
            .Select(r => (r.ReceivedAt - r.CloudEvent.GetProperty("data").GetProperty("occurredAt").GetDateTimeOffset()).TotalMilliseconds)
            .Order().ToArray();
        double At(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        output.WriteLine($"webhook delivery latency, {rate}/s for {seconds} s, {latencies.Length} events: p50 {At(0.50):F0} ms, p90 {At(0.90):F0} ms, p99 {At(0.99):F0} ms, max {latencies[^1]:F0} ms");
        Console.WriteLine($"WEBHOOK-LATENCY p50={At(0.50):F0}ms p90={At(0.90):F0}ms p99={At(0.99):F0}ms max={latencies[^1]:F0}ms n={latencies.Length}");
        Assert.Equal(rate * seconds, received.Select(r => r.Id).Distinct().Count());
    }
}
