using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Npgsql;
using RabbitMQ.Client;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Diagnostics;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Outbox.EfCore;
using TaskFlow.Messaging.Outbox.MongoDB;
using TaskFlow.Messaging.Publishing;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Notifications;

namespace TaskFlow.Tests.Messaging;

/// <summary>The messaging library against the fixture's real RabbitMQ, PostgreSQL and MongoDB stand-in.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class MessagingBrokerTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Publisher_confirms_and_the_message_carries_the_envelope_and_the_publish_span_as_trace_parent()
    {
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var queue = await BindTemporaryQueueAsync(broker, EventTypes.TaskDeleted);
        using var host = await StartHostAsync(builder => builder.AddIntegrationEventPublisher());
        var publisher = host.Services.GetRequiredService<IIntegrationEventPublisher>();

        using var source = new ActivitySource("TaskFlow.Tests.Publisher");
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name || s.Name == MessagingTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var evt = new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Traced", Guid.NewGuid(), 2, DateTimeOffset.UtcNow);
        using (var request = source.StartActivity("request"))
        {
            Assert.NotNull(request);
            await publisher.PublishAsync(evt, $"tasks/{evt.TaskId}", CancellationToken.None);
        }

        var message = await ReceiveAsync(broker, queue, m => m.Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(evt.TaskId.ToString())) >= 0);
        Assert.Equal(IntegrationEventEnvelope.MediaType, message.Properties.ContentType);
        Assert.Equal(EventTypes.TaskDeleted, message.Properties.Type);
        Assert.Equal(DeliveryModes.Persistent, message.Properties.DeliveryMode);
        Assert.True(IntegrationEventEnvelope.TryRead(message.Body, out var incoming, out var error), error);
        Assert.Equal(incoming.EventId.ToString(), message.Properties.MessageId);
        Assert.Equal($"tasks/{evt.TaskId}", incoming.Subject);

        var publish = Assert.Single(spans, s => s.Source.Name == MessagingTelemetry.ActivitySourceName && s.GetTagItem("messaging.message.id") as string == incoming.EventId.ToString());
        var request2 = Assert.Single(spans, s => s.Source.Name == source.Name);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(request2.SpanId, publish.ParentSpanId);
        Assert.Equal(request2.TraceId, incoming.TraceContext.TraceId);
        Assert.Equal(publish.SpanId, incoming.TraceContext.SpanId);
        // The AMQP header carries the same trace (RabbitMQ.Client's own instrumentation may put its span there).
        var header = message.Properties.Headers?["traceparent"];
        var headerText = header is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : header as string;
        Assert.True(ActivityContext.TryParse(headerText, null, out var headerContext), headerText);
        Assert.Equal(request2.TraceId, headerContext.TraceId);
    }

    [Fact]
    public async Task Publisher_refuses_a_schema_invalid_event_and_sends_nothing()
    {
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var queue = await BindTemporaryQueueAsync(broker, EventTypes.TaskDeleted);
        using var host = await StartHostAsync(builder => builder.AddIntegrationEventPublisher());
        var publisher = host.Services.GetRequiredService<IIntegrationEventPublisher>();

        var marker = Guid.NewGuid();
        var invalid = new TaskDeleted(marker, Guid.NewGuid(), null, Title: "", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);
        var refused = await Assert.ThrowsAsync<InvalidIntegrationEventException>(() => publisher.PublishAsync(invalid, "tasks/x", CancellationToken.None));
        Assert.Contains("title", refused.Reason, StringComparison.OrdinalIgnoreCase);

        await Task.Delay(500);
        var received = await broker.DrainAsync(queue);
        Assert.DoesNotContain(received, m => m.Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(marker.ToString())) >= 0);
    }

    [Fact]
    public async Task Consumer_retries_with_back_off_then_dead_letters_and_acks_only_after_the_handler_succeeds()
    {
        var queue = "tests.consumer." + Guid.NewGuid().ToString("N")[..8];
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var log = new CollectingLoggerProvider();
        using var host = await StartHostAsync(builder => builder.Logging.AddProvider(log), builder => builder
            .AddIntegrationEventConsumer(queue, o =>
            {
                o.MaxAttempts = 3;
                o.RetryDelays.Clear();
                o.RetryDelays.Add(TimeSpan.FromMilliseconds(300));
                o.RetryDelays.Add(TimeSpan.FromMilliseconds(600));
            })
            .AddHandler<TaskDeleted, FlakyHandler>());
        // Consuming means declared and bound: a message published before the bindings exist would go unrouted.
        await WaitUntilAsync(async () => await ConsumerCountAsync(broker, queue) > 0, "consumer subscribed");

        var failOnce = new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "fail-once", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);
        var alwaysFail = new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "always-fail", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);
        var failOnceId = Guid.CreateVersion7();
        var alwaysFailId = Guid.CreateVersion7();
        var started = Stopwatch.StartNew();
        await broker.PublishAsync(failOnce, failOnceId);
        await broker.PublishAsync(alwaysFail, alwaysFailId);

        await WaitUntilAsync(() => Task.FromResult(FlakyHandler.Succeeded.ContainsKey(failOnceId)),
            () => $"fail-once handled on its second attempt (attempts: {string.Join(",", FlakyHandler.Attempts.GetValueOrDefault(failOnceId) ?? [])}; log: {string.Join(" | ", log.Entries)})");
        Assert.Equal([1, 2], FlakyHandler.Attempts[failOnceId]);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(300), "The retry waited for its back-off.");

        var deadLettered = new List<string?>();
        await WaitUntilAsync(async () =>
        {
            deadLettered.AddRange((await broker.DrainAsync(MessagingTopology.DeadLetterQueueName(queue))).Select(m => m.Properties.MessageId));
            return deadLettered.Contains(alwaysFailId.ToString());
        }, "always-fail dead-lettered");
        Assert.Equal([1, 2, 3], FlakyHandler.Attempts[alwaysFailId]);
        Assert.DoesNotContain(failOnceId.ToString(), deadLettered);

        await host.StopAsync();
        await broker.Channel.QueueDeleteAsync(queue);
        await broker.Channel.QueueDeleteAsync(MessagingTopology.RetryQueueName(queue));
        await broker.Channel.QueueDeleteAsync(MessagingTopology.DeadLetterQueueName(queue));
        await broker.Channel.ExchangeDeleteAsync(MessagingTopology.DeadLetterExchangeName(queue));
    }

    [Fact]
    public async Task Consumer_span_continues_the_publishers_trace()
    {
        var queue = "tests.tracing." + Guid.NewGuid().ToString("N")[..8];
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        using var host = await StartHostAsync(builder =>
        {
            builder.AddIntegrationEventPublisher();
            builder.AddIntegrationEventConsumer(queue).AddHandler<TaskDeleted, FlakyHandler>();
        });
        await WaitUntilAsync(async () => await ConsumerCountAsync(broker, queue) > 0, "consumer subscribed");

        using var source = new ActivitySource("TaskFlow.Tests.Tracing");
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name || s.Name == MessagingTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var evt = new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Traced end to end", Guid.NewGuid(), 2, DateTimeOffset.UtcNow);
        ActivityTraceId traceId;
        using (var request = source.StartActivity("DELETE /tasks/{id}"))
        {
            Assert.NotNull(request);
            traceId = request.TraceId;
            await host.Services.GetRequiredService<IIntegrationEventPublisher>().PublishAsync(evt, $"tasks/{evt.TaskId}", CancellationToken.None);
        }

        Activity? process = null;
        await WaitUntilAsync(() =>
        {
            process = spans.FirstOrDefault(s => s.Kind == ActivityKind.Consumer && s.TraceId == traceId);
            return Task.FromResult(process is not null);
        }, "a consumer span in the publisher's trace");
        var publish = Assert.Single(spans, s => s.Kind == ActivityKind.Producer && s.TraceId == traceId);
        Assert.NotNull(process);
        Assert.Equal(publish.SpanId, process.ParentSpanId);
        Assert.Contains(process.Links, l => l.Context.SpanId == publish.SpanId);
        Assert.Equal("task.deleted process", process.DisplayName);
        Assert.Equal(queue, process.GetTagItem("messaging.destination.name"));

        await host.StopAsync();
        await broker.Channel.QueueDeleteAsync(queue);
        await broker.Channel.QueueDeleteAsync(MessagingTopology.RetryQueueName(queue));
        await broker.Channel.QueueDeleteAsync(MessagingTopology.DeadLetterQueueName(queue));
        await broker.Channel.ExchangeDeleteAsync(MessagingTopology.DeadLetterExchangeName(queue));
    }

    [Fact]
    public async Task EF_Core_outbox_relay_publishes_committed_events_parks_invalid_ones_and_survives_a_broker_outage()
    {
        var connectionString = await CreateDatabaseAsync("outbox_tests_" + Guid.NewGuid().ToString("N")[..8]);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        // Durable and named: it must outlive the broker restart below.
        var queue = "tests.outbox." + Guid.NewGuid().ToString("N")[..8];
        await broker.Channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await broker.Channel.QueueBindAsync(queue, MessagingTopology.ExchangeName, EventTypes.TaskDeleted);
        using var host = await StartHostAsync(builder =>
        {
            builder.Services.AddDbContext<OutboxTestDbContext>(o => o.UseNpgsql(connectionString));
            builder.AddIntegrationEventPublisher();
            builder.AddEfCoreOutboxRelay<OutboxTestDbContext>();
        }, beforeStart: async services =>
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OutboxTestDbContext>().Database.EnsureCreatedAsync();
        });

        // One SaveChanges: the change and its event.
        var valid = new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Relayed", Guid.NewGuid(), 3, DateTimeOffset.UtcNow);
        var invalid = new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "", Guid.NewGuid(), 3, DateTimeOffset.UtcNow);
        Guid validId, invalidId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OutboxTestDbContext>();
            db.Things.Add(new Thing { Id = valid.TaskId });
            validId = db.AddIntegrationEvent(valid, $"things/{valid.TaskId}").Id;
            invalidId = db.AddIntegrationEvent(invalid, $"things/{invalid.TaskId}").Id;
            await db.SaveChangesAsync();
        }

        var message = await ReceiveAsync(broker, queue, m => m.Properties.MessageId == validId.ToString());
        Assert.True(IntegrationEventEnvelope.TryRead(message.Body, out var incoming, out _));
        Assert.Equal(valid.TaskId, ((TaskDeleted)incoming.Data).TaskId);
        await WaitUntilAsync(async () => (await ReadRowAsync(host, invalidId)).FailedAt is not null, "invalid event parked as failed");
        var parked = await ReadRowAsync(host, invalidId);
        Assert.Null(parked.PublishedAt);
        Assert.Contains("title", parked.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull((await ReadRowAsync(host, validId)).PublishedAt);

        // Broker down: the event waits in the table with growing attempts, and goes out once the broker is back.
        Guid outageId;
        await fixture.StopResourceAsync("rabbitmq");
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OutboxTestDbContext>();
            outageId = db.AddIntegrationEvent(valid with { Title = "During outage" }, "things/outage").Id;
            await db.SaveChangesAsync();
            await WaitUntilAsync(async () => (await ReadRowAsync(host, outageId)).Attempts >= 2, "publish attempts while the broker is down");
            Assert.Null((await ReadRowAsync(host, outageId)).PublishedAt);
        }
        finally
        {
            await fixture.StartResourceAsync("rabbitmq");
        }

        await using var afterOutage = await BrokerClient.ConnectWithRetryAsync(fixture);
        var redelivered = await ReceiveAsync(afterOutage, queue, m => m.Properties.MessageId == outageId.ToString(), TimeSpan.FromSeconds(60));
        Assert.NotNull(redelivered.Body);
        await WaitUntilAsync(async () => (await ReadRowAsync(host, outageId)).PublishedAt is not null, "outage event marked published");
        await afterOutage.Channel.QueueDeleteAsync(queue);
    }

    [Fact]
    public async Task MongoDB_outbox_relay_publishes_pending_events_pulls_them_parks_invalid_ones_and_removes_published_tombstones()
    {
        var collectionName = "outbox_tests_" + Guid.NewGuid().ToString("N")[..8];
        var mongoUrl = MongoUrl.Create(await fixture.GetConnectionStringAsync("tasksdb"));
        var collection = new MongoClient(mongoUrl).GetDatabase(mongoUrl.DatabaseName ?? "tasksdb").GetCollection<BsonDocument>(collectionName);
        await using var broker = await BrokerClient.ConnectAsync(fixture);
        var queue = await BindTemporaryQueueAsync(broker, EventTypes.TaskDeleted);

        var first = PendingEvent.Create(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "First", Guid.NewGuid(), 1, DateTimeOffset.UtcNow), "docs/live");
        var invalid = PendingEvent.Create(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "", Guid.NewGuid(), 1, DateTimeOffset.UtcNow), "docs/live");
        var tombstoneEvent = PendingEvent.Create(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Gone", Guid.NewGuid(), 2, DateTimeOffset.UtcNow), "docs/gone");
        await collection.InsertOneAsync(new BsonDocument { { "_id", "live" }, { "name", "kept" }, { PendingEvent.FieldName, new BsonArray { first.ToBson(), invalid.ToBson() } } });
        await collection.InsertOneAsync(new BsonDocument { { "_id", "gone" }, { "deletedAt", DateTime.UtcNow }, { PendingEvent.FieldName, new BsonArray { tombstoneEvent.ToBson() } } });

        using var host = await StartHostAsync(builder =>
        {
            builder.Configuration["ConnectionStrings:tasksdb"] = mongoUrl.ToString();
            builder.AddMongoDBClient("tasksdb");
            builder.AddIntegrationEventPublisher();
            builder.AddMongoOutboxRelay(collectionName);
        });

        // Documents are published in parallel: either may come first.
        var seen = new HashSet<string?>();
        await WaitUntilAsync(async () =>
        {
            seen.UnionWith((await broker.DrainAsync(queue)).Select(m => m.Properties.MessageId));
            return seen.Contains(first.Id) && seen.Contains(tombstoneEvent.Id);
        }, () => $"both documents' events published (seen: {string.Join(", ", seen)})");
        Assert.DoesNotContain(invalid.Id, seen);
        await WaitUntilAsync(async () => await collection.CountDocumentsAsync(new BsonDocument("_id", "gone")) == 0, "tombstone deleted after its event went out");
        await WaitUntilAsync(async () =>
        {
            var live = await collection.Find(new BsonDocument("_id", "live")).FirstAsync();
            return live[PendingEvent.FieldName].AsBsonArray.Count == 0;
        }, "pending events pulled");

        var kept = await collection.Find(new BsonDocument("_id", "live")).FirstAsync();
        Assert.Equal("kept", kept["name"].AsString);
        var failed = Assert.Single(kept["failedEvents"].AsBsonArray);
        Assert.Equal(invalid.Id, failed["id"].AsString);
        Assert.Contains("title", failed["error"].AsString, StringComparison.OrdinalIgnoreCase);

        // An event pushed later is published too, and nothing is published twice.
        var later = PendingEvent.Create(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Later", Guid.NewGuid(), 3, DateTimeOffset.UtcNow), "docs/live");
        await collection.UpdateOneAsync(new BsonDocument("_id", "live"), Builders<BsonDocument>.Update.Push(PendingEvent.FieldName, later.ToBson()));
        OutboxRelaySignal.Notify();
        await ReceiveAsync(broker, queue, m => m.Properties.MessageId == later.Id);
        await Task.Delay(1000);
        var rest = await broker.DrainAsync(queue);
        Assert.DoesNotContain(rest, m => m.Properties.MessageId == first.Id || m.Properties.MessageId == later.Id);
        await collection.Database.DropCollectionAsync(collectionName);
    }

    // ---- helpers ----

    private Task<IHost> StartHostAsync(Action<HostApplicationBuilder> configure, Func<IServiceProvider, Task>? beforeStart = null) =>
        StartHostAsync(_ => { }, b => configure(b), beforeStart);

    private async Task<IHost> StartHostAsync(Action<HostApplicationBuilder> logging, Action<HostApplicationBuilder> configure, Func<IServiceProvider, Task>? beforeStart = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = await fixture.GetConnectionStringAsync("rabbitmq"),
            ["Messaging:OutboxPollInterval"] = "00:00:00.200",
            ["Messaging:OutboxMaxBackoff"] = "00:00:02",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        logging(builder);
        configure(builder);
        var host = builder.Build();
        if (beforeStart is not null)
        {
            await beforeStart(host.Services);
        }

        await host.StartAsync();
        return host;
    }

    private static async Task<string> BindTemporaryQueueAsync(BrokerClient broker, string routingKey)
    {
        var declared = await broker.Channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
        await broker.Channel.QueueBindAsync(declared.QueueName, MessagingTopology.ExchangeName, routingKey);
        return declared.QueueName;
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

    private static async Task<(IReadOnlyBasicProperties Properties, byte[] Body)> ReceiveAsync(
        BrokerClient broker, string queue, Func<(IReadOnlyBasicProperties Properties, byte[] Body), bool> match, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? Timeout))
        {
            foreach (var message in await broker.DrainAsync(queue))
            {
                if (match(message))
                {
                    return message;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching message on {queue}.");
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => WaitUntilAsync(condition, () => what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Timeout, $"Timed out waiting for: {what()}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Keeps the library's warnings, so a failing assertion can say what happened.</summary>
    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(this);

        public void Dispose()
        {
        }

        private sealed class Collector(CollectingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue($"{logLevel}: {formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}");
        }
    }

    private async Task<string> CreateDatabaseAsync(string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync("notificationsdb"));
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        return builder.ConnectionString;
    }

    private static async Task<OutboxMessage> ReadRowAsync(IHost host, Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OutboxTestDbContext>();
        return await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public sealed class Thing
    {
        public Guid Id { get; set; }
    }

    public sealed class OutboxTestDbContext(DbContextOptions<OutboxTestDbContext> options) : DbContext(options)
    {
        public DbSet<Thing> Things => Set<Thing>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutbox();
    }

    public sealed class FlakyHandler : IIntegrationEventHandler<TaskDeleted>
    {
        public static readonly ConcurrentDictionary<Guid, List<int>> Attempts = new();
        public static readonly ConcurrentDictionary<Guid, bool> Succeeded = new();

        public Task HandleAsync(IntegrationEventContext<TaskDeleted> context, CancellationToken cancellationToken)
        {
            var attempts = Attempts.GetOrAdd(context.EventId, _ => []);
            lock (attempts)
            {
                attempts.Add(context.Attempt);
            }

            var fail = context.Data.Title switch
            {
                "always-fail" => true,
                "fail-once" => context.Attempt == 1,
                _ => false,
            };
            if (fail)
            {
                throw new InvalidOperationException($"Simulated failure on attempt {context.Attempt}.");
            }

            Succeeded[context.EventId] = true;
            return Task.CompletedTask;
        }
    }
}
