using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using TaskFlow.AppHost.Infrastructure;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Publishing;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Notifications;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// Nothing piles up unbounded in the broker: the queue of events no consumer is bound for has a TTL and a length limit;
/// what a consumer dead-lettered can be inspected and redriven by one operator command on the rabbitmq resource.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class BrokerBoundsTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task The_unrouted_queue_on_the_broker_has_a_ttl_and_a_length_limit()
    {
        await using var broker = await BrokerClient.ConnectAsync(fixture);

        // The broker refuses a declaration whose arguments differ from the queue's own (406 PRECONDITION_FAILED): so an
        // unbounded declaration fails against the live queue, and the bounded one matches it.
        await using (var unbounded = await broker.Connection.CreateChannelAsync())
        {
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => unbounded.QueueDeclareAsync(
                MessagingTopology.UnroutedQueueName, durable: true, exclusive: false, autoDelete: false));
            Assert.Equal((ushort)406, refused.ShutdownReason?.ReplyCode ?? 0);
        }

        await using var bounded = await broker.Connection.CreateChannelAsync();
        await bounded.QueueDeclareAsync(MessagingTopology.UnroutedQueueName, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-message-ttl"] = 24 * 60 * 60 * 1000,
                ["x-max-length"] = 10_000,
                ["x-overflow"] = "drop-head",
            });
    }

    [Fact]
    public async Task A_dead_lettered_event_is_inspected_and_redriven_by_the_operator_command_and_notified_once()
    {
        using var users = PlainClients.Create(fixture, "users");
        using var notifier = PlainClients.Create(fixture, "notifier");
        var owner = await UsersApiClient.RegisterAndLoginAsync(users);
        var assignee = await UsersApiClient.RegisterAndLoginAsync(users);
        var taskId = Guid.NewGuid();
        var envelope = IntegrationEventEnvelope.Create(
            new TaskCreated(taskId, owner.Id, assignee.Id, "Dead-lettered during an outage", "todo", owner.Id, 1, DateTimeOffset.UtcNow),
            subject: $"tasks/{taskId}", source: "/taskflow/tests");

        // As the consumer leaves a message after its last failed attempt: in notifier.dlq, through its dead-letter exchange.
        await using (var broker = await BrokerClient.ConnectAsync(fixture))
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = IntegrationEventEnvelope.MediaType,
                MessageId = envelope.Id,
                Type = envelope.Type,
                Headers = new Dictionary<string, object?> { [MessagingTopology.AttemptHeader] = 3 },
            };
            await broker.Channel.BasicPublishAsync(MessagingTopology.DeadLetterExchangeName("notifier"), envelope.Type!, mandatory: false,
                properties, IntegrationEventEnvelope.Encode(envelope));
        }

        var inspected = await fixture.ExecuteCommandAsync("rabbitmq", DeadLetterCommands.InspectCommand);
        Assert.Contains(envelope.Id!, inspected.Message ?? "", StringComparison.Ordinal);
        Assert.Contains("4 attempt(s)", inspected.Message ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain((await NotificationsApiClient.ListAsync(notifier, assignee.AccessToken, "?limit=100")).Items, n => n.TaskId == taskId);

        var redriven = await fixture.ExecuteCommandAsync("rabbitmq", DeadLetterCommands.RedriveCommand);
        Assert.Matches(@"Redriven: [1-9]\d* to notifier", redriven.Message ?? "");

        await NotificationsApiClient.WaitForAsync(notifier, assignee.AccessToken, taskId, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single((await NotificationsApiClient.ListAsync(notifier, assignee.AccessToken, "?limit=100")).Items, n => n.TaskId == taskId);
        var after = await fixture.ExecuteCommandAsync("rabbitmq", DeadLetterCommands.InspectCommand);
        Assert.DoesNotContain(envelope.Id!, after.Message ?? "", StringComparison.Ordinal);
    }
}
