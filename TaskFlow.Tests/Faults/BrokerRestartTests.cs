using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using RabbitMQ.Client;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Publishing;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// Local RabbitMQ keeps its data across AppHost restarts of one checkout: an event published while the Notifier was
/// not consuming is still in the Notifier's queue after the AppHost restarted with the same data root. Its own AppHost,
/// kept lean: only the broker resource of the real AppHost model runs (the node name and data directory come from it).
/// </summary>
[Collection(Name)]
[Trait("Category", "Distributed")]
public sealed class BrokerRestartTests : IDisposable
{
    public const string Name = "rabbitmq restart";

    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-restart-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task An_event_queued_for_the_notifier_survives_an_apphost_restart_with_the_same_data_root()
    {
        var envelope = IntegrationEventEnvelope.Create(
            new TaskCreated(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Queued across a restart", "todo", Guid.NewGuid(), 1, DateTimeOffset.UtcNow),
            subject: "tests", source: "/taskflow/tests");

        await using (var first = await StartBrokerOnlyAsync())
        {
            await using var connection = await ConnectAsync(first);
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            // The Notifier's queue as the Notifier declares it; the Notifier itself is not running, so nothing consumes.
            await MessagingTopology.DeclareConsumerQueueAsync(channel, "notifier", [EventTypes.TaskCreated], CancellationToken.None);
            await channel.BasicPublishAsync(MessagingTopology.ExchangeName, EventTypes.TaskCreated, mandatory: true,
                new BasicProperties { Persistent = true, MessageId = envelope.Id, Type = envelope.Type, ContentType = IntegrationEventEnvelope.MediaType },
                IntegrationEventEnvelope.Encode(envelope));
            await first.StopAsync();
        }

        await using var second = await StartBrokerOnlyAsync();
        await using var again = await ConnectAsync(second);
        await using var reader = await again.CreateChannelAsync();
        var message = await reader.BasicGetAsync("notifier", autoAck: true);
        Assert.NotNull(message);
        Assert.Equal(envelope.Id, message.BasicProperties.MessageId);
    }

    private async Task<DistributedApplication> StartBrokerOnlyAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
            ["--TaskFlow:Infrastructure=local", $"--TaskFlow:DataRoot={_dataRoot}", "--TaskFlow:GatewayPort=0"]);
        foreach (var resource in builder.Resources.Where(r => r.Name != "rabbitmq" && r is not ParameterResource).ToList())
        {
            builder.Resources.Remove(resource);
        }

        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("rabbitmq", timeout.Token);
        return app;
    }

    private static async Task<IConnection> ConnectAsync(DistributedApplication app)
    {
        var connectionString = await app.GetConnectionStringAsync("rabbitmq") ?? throw new InvalidOperationException("No rabbitmq connection string.");
        return await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A server may still be closing a file; the directory is under /tmp and harmless.
        }
    }
}

/// <summary>
/// Runs after the parallel collections, alone: its two broker boots (Erlang, several CPU-seconds each) next to the
/// distributed tests' AppHost starting a dozen services on 2 cores starved those services for seconds, and their
/// first Redis connections timed out (<see cref="CleanStartLogTests"/>).
/// </summary>
[CollectionDefinition(BrokerRestartTests.Name, DisableParallelization = true)]
public sealed class BrokerRestartCollection;
