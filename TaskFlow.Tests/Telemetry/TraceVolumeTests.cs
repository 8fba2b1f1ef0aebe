using System.Collections.Concurrent;
using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TaskFlow.Messaging.MongoDB;
using TaskFlow.ServiceDefaults.Telemetry;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Telemetry;

/// <summary>
/// The two telemetry filters of ServiceDefaults: which roots start a trace (through the OpenTelemetry SDK itself),
/// and which MongoDB driver commands become spans (against the stand-in).
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TraceVolumeTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public void Background_client_calls_start_no_trace_but_requests_and_their_client_calls_are_recorded()
    {
        using var source = new ActivitySource("TaskFlow.Tests.Sampler." + Guid.NewGuid().ToString("N"));
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .SetSampler(BackgroundRootSampler.Create())
            .AddInMemoryExporter(exported)
            .Build();

        using (var sweep = source.StartActivity("find tasks", ActivityKind.Client))
        {
            // The sweep's child (if any) goes with it.
            using var nested = source.StartActivity("getMore tasks", ActivityKind.Client);
        }

        using (var request = source.StartActivity("GET /tasks/{id}", ActivityKind.Server))
        {
            using var query = source.StartActivity("GET redis", ActivityKind.Client);
        }

        using (var job = source.StartActivity("task.created relay", ActivityKind.Internal))
        {
            using var publish = source.StartActivity("task.created publish", ActivityKind.Producer);
        }

        provider.ForceFlush();
        Assert.Equal(["GET redis", "GET /tasks/{id}", "task.created publish", "task.created relay"], exported.Select(a => a.DisplayName));
    }

    [Fact]
    public async Task Only_slow_or_failed_MongoDB_commands_become_spans_under_the_current_span()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MongoCommandTracer.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var collection = "tracer_" + Guid.NewGuid().ToString("N")[..8];

        // A threshold no command reaches: success records nothing, failure records an error span.
        var quiet = await DatabaseAsync(TimeSpan.FromMinutes(10));
        await quiet.GetCollection<BsonDocument>(collection).InsertOneAsync(new BsonDocument("_id", 1));
        await quiet.GetCollection<BsonDocument>(collection).Find(new BsonDocument("_id", 1)).FirstAsync();
        Assert.DoesNotContain(spans, s => (string?)s.GetTagItem("db.collection.name") == collection);
        await Assert.ThrowsAsync<MongoCommandException>(() => quiet.RunCommandAsync<BsonDocument>(new BsonDocument("noSuchCommand", collection)));
        var failed = Assert.Single(spans, s => s.DisplayName.StartsWith("noSuchCommand", StringComparison.Ordinal));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);

        // A zero threshold: every command is "slow", and is recorded as a child of the span around it.
        var all = await DatabaseAsync(TimeSpan.Zero);
        using var parentSource = new ActivitySource("TaskFlow.Tests.Parent");
        using var parentListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == parentSource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(parentListener);
        using (var parent = parentSource.StartActivity("request"))
        {
            Assert.NotNull(parent);
            await all.GetCollection<BsonDocument>(collection).Find(new BsonDocument("_id", 1)).FirstAsync();
            var find = Assert.Single(spans, s => s.DisplayName == $"find {collection}");
            Assert.Equal(parent.SpanId, find.ParentSpanId);
            Assert.Equal("mongodb", find.GetTagItem("db.system"));
        }

        await all.DropCollectionAsync(collection);
    }

    private async Task<IMongoDatabase> DatabaseAsync(TimeSpan slowThreshold)
    {
        var url = MongoUrl.Create(await fixture.GetConnectionStringAsync("tasksdb"));
        var settings = MongoClientSettings.FromUrl(url);
        settings.ClusterConfigurator = cluster => cluster.Subscribe(new MongoCommandTracer(slowThreshold));
        return new MongoClient(settings).GetDatabase(url.DatabaseName ?? "tasksdb");
    }
}
