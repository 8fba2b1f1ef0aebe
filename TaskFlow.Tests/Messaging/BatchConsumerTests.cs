using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Publishing;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Notifications;

namespace TaskFlow.Tests.Messaging;

/// <summary>
/// The consumer's opt-in batches and its store-outage rule, against the fixture's real RabbitMQ: a consumer of a
/// throw-away queue in an in-process host, with recording handlers.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class BatchConsumerTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_batch_is_acked_once_applied_and_a_poison_event_in_it_alone_takes_its_attempts_to_the_dead_letter_queue()
    {
        var queue = "tests.batch." + Guid.NewGuid().ToString("N")[..8];
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        try
        {
            // Queued before the consumer starts, so its first deliveries form batches.
            await MessagingTopology.DeclareConsumerQueueAsync(broker.Channel, queue, [EventTypes.TaskDeleted], CancellationToken.None);
            var good = Enumerable.Range(0, 19).Select(_ => Guid.CreateVersion7()).ToList();
            var poison = Guid.CreateVersion7();
            var recorder = new BatchRecorder(poison: poison, outageDeliveries: 0);
            foreach (var id in good.Take(9).Append(poison).Concat(good.Skip(9)))
            {
                await broker.PublishAsync(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "batch", Guid.NewGuid(), 1, DateTimeOffset.UtcNow), id);
            }

            using var host = await StartHostAsync(recorder, queue, batched: true);
            await WaitUntilAsync(() => good.All(recorder.Applied.ContainsKey), () => $"every good event applied ({recorder})");
            var deadLettered = new List<string?>();
            await WaitUntilAsync(async () =>
            {
                deadLettered.AddRange((await broker.DrainAsync(MessagingTopology.DeadLetterQueueName(queue))).Select(m => m.Properties.MessageId));
                return deadLettered.Contains(poison.ToString());
            }, () => $"poison dead-lettered ({recorder})");
            await Task.Delay(500);

            Assert.True(recorder.BatchSizes.Max() >= 10, $"batches formed: {recorder}");
            Assert.All(good, id => Assert.Equal(1, recorder.Applied[id]));
            Assert.False(recorder.Applied.ContainsKey(poison));
            // The poison alone, one attempt each time: 1, 2, 3 (MaxAttempts), then the dead-letter queue, once.
            Assert.Equal([1, 2, 3], recorder.AttemptsAlone(poison));
            Assert.Single(deadLettered, id => id == poison.ToString());
            Assert.DoesNotContain(deadLettered, id => good.Any(g => g.ToString() == id));
            await host.StopAsync();
        }
        finally
        {
            await DeleteQueueAsync(broker, queue);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_store_outage_requeues_without_counting_attempts_so_an_outage_past_the_retry_budget_dead_letters_nothing(bool batched)
    {
        var queue = "tests.outage." + Guid.NewGuid().ToString("N")[..8];
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        try
        {
            // The store is "down" for the first 5 deliveries, more than the 3 attempts the consumer allows.
            var recorder = new BatchRecorder(poison: null, outageDeliveries: 5);
            using var host = await StartHostAsync(recorder, queue, batched);
            await WaitUntilAsync(async () => await ConsumerCountAsync(broker, queue) > 0, () => "consumer subscribed");
            var id = Guid.CreateVersion7();
            await broker.PublishAsync(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "outage", Guid.NewGuid(), 1, DateTimeOffset.UtcNow), id);

            await WaitUntilAsync(() => recorder.Applied.ContainsKey(id), () => $"applied once the store is back ({recorder})");
            Assert.Equal(6, recorder.Deliveries(id));
            // Every delivery was still the first attempt: outages are not counted.
            Assert.All(recorder.AttemptsAlone(id), attempt => Assert.Equal(1, attempt));
            Assert.Empty(await broker.DrainAsync(MessagingTopology.DeadLetterQueueName(queue)));
            await host.StopAsync();
        }
        finally
        {
            await DeleteQueueAsync(broker, queue);
        }
    }

    private async Task<IHost> StartHostAsync(BatchRecorder recorder, string queue, bool batched)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = await fixture.GetConnectionStringAsync("rabbitmq") });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(recorder);
        var consumer = builder.AddIntegrationEventConsumer(queue, o =>
        {
            o.MaxAttempts = 3;
            o.RetryDelays.Clear();
            o.RetryDelays.Add(TimeSpan.FromMilliseconds(200));
            o.OutageRetryDelay = TimeSpan.FromMilliseconds(300);
            o.PrefetchCount = 64;
            o.MaxBatchSize = 64;
        });
        if (batched)
        {
            consumer.AddBatchHandler<TaskDeleted, RecordingBatchHandler>();
        }
        else
        {
            consumer.AddHandler<TaskDeleted, RecordingHandler>();
        }

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task DeleteQueueAsync(BrokerClient broker, string queue)
    {
        await broker.Channel.QueueDeleteAsync(queue);
        await broker.Channel.QueueDeleteAsync(MessagingTopology.RetryQueueName(queue));
        await broker.Channel.QueueDeleteAsync(MessagingTopology.DeadLetterQueueName(queue));
        await broker.Channel.ExchangeDeleteAsync(MessagingTopology.DeadLetterExchangeName(queue));
    }

    private static async Task<uint> ConsumerCountAsync(BrokerClient broker, string queue)
    {
        await using var probe = await broker.Connection.CreateChannelAsync();
        try
        {
            return (await probe.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, Func<string> what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Timeout, $"Timed out waiting for: {what()}");
            await Task.Delay(50);
        }
    }

    /// <summary>What the handlers saw: batch sizes, attempts of events handled alone, deliveries, effects applied.</summary>
    public sealed class BatchRecorder(Guid? poison, int outageDeliveries)
    {
        private readonly ConcurrentDictionary<Guid, int> _deliveries = new();
        private readonly ConcurrentDictionary<Guid, ConcurrentQueue<int>> _alone = new();

        public ConcurrentQueue<int> BatchSizes { get; } = new();

        public ConcurrentDictionary<Guid, int> Applied { get; } = new();

        public int Deliveries(Guid id) => _deliveries.GetValueOrDefault(id);

        public int[] AttemptsAlone(Guid id) => [.. _alone.GetValueOrDefault(id) ?? []];

        /// <summary>All or nothing, like a handler with one transaction: throws before applying anything.</summary>
        public void Handle(IReadOnlyList<(Guid EventId, int Attempt)> batch)
        {
            BatchSizes.Enqueue(batch.Count);
            foreach (var (id, attempt) in batch)
            {
                if (batch.Count == 1)
                {
                    _alone.GetOrAdd(id, _ => new()).Enqueue(attempt);
                }

                if (_deliveries.AddOrUpdate(id, 1, (_, n) => n + 1) <= outageDeliveries)
                {
                    throw new StoreDownException();
                }
            }

            if (poison is { } bad && batch.Any(e => e.EventId == bad))
            {
                throw new InvalidOperationException("poison event");
            }

            foreach (var (id, _) in batch)
            {
                Applied.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
        }

        public override string ToString() =>
            $"batch sizes [{string.Join(",", BatchSizes)}], applied {Applied.Count}, poison alone [{(poison is { } p ? string.Join(",", AttemptsAlone(p)) : "")}]";
    }

    public sealed class RecordingBatchHandler(BatchRecorder recorder) : IIntegrationEventBatchHandler
    {
        public Task HandleBatchAsync(IReadOnlyList<IntegrationEventBatchItem> batch, CancellationToken cancellationToken)
        {
            recorder.Handle([.. batch.Select(item => (item.EventId, item.Attempt))]);
            return Task.CompletedTask;
        }
    }

    public sealed class RecordingHandler(BatchRecorder recorder) : IIntegrationEventHandler<TaskDeleted>
    {
        public Task HandleAsync(IntegrationEventContext<TaskDeleted> context, CancellationToken cancellationToken)
        {
            recorder.Handle([(context.EventId, context.Attempt)]);
            return Task.CompletedTask;
        }
    }

    /// <summary>What Npgsql throws when PostgreSQL does not answer: a transient <see cref="DbException"/>.</summary>
    private sealed class StoreDownException() : DbException("connection refused (test)")
    {
        public override bool IsTransient => true;
    }
}
