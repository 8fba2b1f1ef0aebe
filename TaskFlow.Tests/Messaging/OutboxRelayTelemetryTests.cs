using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Diagnostics;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Outbox.MongoDB;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Messaging;

/// <summary>
/// What the MongoDB outbox relay costs in telemetry, counted with an <see cref="ActivityListener"/> on the relay's and
/// the MongoDB client's sources and a logger that keeps every entry: an empty sweep records no span and no log; a
/// woken round records one relay span (child of, and linked to, the request that staged the event) and one publish
/// span under it.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class OutboxRelayTelemetryTests(TaskFlowAppFixture fixture)
{
    private static readonly ActivitySource RequestSource = new("TaskFlow.Tests.Request");

    [Fact]
    public async Task Empty_sweeps_record_nothing_and_a_staged_event_is_relayed_under_its_request()
    {
        var collectionName = "relay_telemetry_" + Guid.NewGuid().ToString("N")[..8];
        var mongoUrl = MongoUrl.Create(await fixture.GetConnectionStringAsync("tasksdb"));
        var collection = new MongoClient(mongoUrl).GetDatabase(mongoUrl.DatabaseName ?? "tasksdb").GetCollection<BsonDocument>(collectionName);
        await collection.InsertOneAsync(new BsonDocument { { "_id", "quiet" }, { "name", "no events" } });

        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTelemetry.ActivitySourceName or MongoDBClientExtensions.ActivitySourceName or "TaskFlow.Tests.Request",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new CollectingLoggerProvider();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = await fixture.GetConnectionStringAsync("rabbitmq"),
            ["ConnectionStrings:tasksdb"] = mongoUrl.ToString(),
            ["Messaging:OutboxPollInterval"] = "00:00:00.100",
            // Only failed commands would be spans; a slow stand-in on a loaded machine must not add any.
            [MongoDBClientExtensions.SlowCommandThresholdKey] = "00:10:00",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.AddMongoDBClient("tasksdb");
        builder.AddIntegrationEventPublisher();
        builder.AddMongoOutboxRelay(collectionName);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var relay = host.Services.GetRequiredKeyedService<MongoOutboxRelay>(collectionName);
            await WaitUntilAsync(() => relay.Rounds >= 1, "the relay's first round");
            var firstRound = relay.Rounds;
            var relayLogsBefore = RelayLogs(logs).Count;
            spans.Clear();
            await WaitUntilAsync(() => relay.Rounds >= firstRound + 10, "ten empty sweeps");
            Assert.Empty(spans.Where(s => s.Source.Name != "TaskFlow.Tests.Request").Select(s => s.DisplayName));
            Assert.Equal(relayLogsBefore, RelayLogs(logs).Count);

            // A request stages an event and wakes the relay (as the Tasks write path does).
            PendingEvent staged;
            ActivityContext request;
            using (var activity = RequestSource.StartActivity("POST /tasks", ActivityKind.Server))
            {
                Assert.NotNull(activity);
                request = activity.Context;
                staged = PendingEvent.Create(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Traced", Guid.NewGuid(), 1, DateTimeOffset.UtcNow), "docs/traced");
                await collection.InsertOneAsync(new BsonDocument { { "_id", "traced" }, { PendingEvent.FieldName, new BsonArray { staged.ToBson() } } });
                OutboxRelaySignal.Notify();
            }

            // The publish span (a child) ends before the relay span: wait for both, not just the first exported.
            await WaitUntilAsync(() => spans.Any(s => s.DisplayName == "task.deleted publish")
                && spans.Any(s => s.DisplayName == "task.deleted relay"), "the relay and publish spans");
            var recorded = spans.Where(s => s.TraceId == request.TraceId && s.SpanId != request.SpanId).ToList();
            Assert.Equal(2, recorded.Count);
            var relaySpan = Assert.Single(recorded, s => s.DisplayName == "task.deleted" + " relay");
            var publishSpan = Assert.Single(recorded, s => s.DisplayName == "task.deleted publish");
            Assert.Equal(request.SpanId, relaySpan.ParentSpanId);
            Assert.Contains(relaySpan.Links, l => l.Context.SpanId == request.SpanId && l.Context.TraceId == request.TraceId);
            Assert.Equal(collectionName, relaySpan.GetTagItem("taskflow.outbox"));
            Assert.Equal(relaySpan.SpanId, publishSpan.ParentSpanId);
            Assert.Empty(spans.Where(s => s.TraceId != request.TraceId).Select(s => s.DisplayName));
        }
        finally
        {
            await host.StopAsync();
            await collection.Database.DropCollectionAsync(collectionName);
        }
    }

    private static List<string> RelayLogs(CollectingLoggerProvider logs) =>
        [.. logs.Entries.Where(e => e.StartsWith("TaskFlow.Messaging", StringComparison.Ordinal))];

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Timed out waiting for: {what}.");
            await Task.Delay(20);
        }
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue($"{category} {logLevel}: {formatter(state, exception)}");
        }
    }
}
