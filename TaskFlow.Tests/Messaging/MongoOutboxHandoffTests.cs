using System.Collections.Concurrent;
using System.Diagnostics;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using TaskFlow.Messaging;
using TaskFlow.Messaging.Publishing;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Outbox.MongoDB;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Messaging;

/// <summary>
/// Publishing from the write path (<see cref="MongoOutboxHandoff"/>) against the MongoDB stand-in and the real broker,
/// with the driver's <see cref="CommandStartedEvent"/>s counted per collection: a handed-off insert costs at most two
/// MongoDB commands (the insert and its share of one batched clear), not four (insert, find, findAndModify claim,
/// update); clears of documents published together share one command; a document that changed while leased is
/// cleared alone and what was pushed meanwhile is published at once; a leased document whose hand-off never happened
/// (the writer's process stopped) is left alone until its lease expires and then published by the sweep; handed
/// documents are published concurrently up to <see cref="MessagingOptions.OutboxConcurrentDocuments"/> (each waits
/// for its broker confirm).
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class MongoOutboxHandoffTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task A_handed_off_insert_costs_at_most_two_commands_and_its_events_are_published()
    {
        const int documents = 20;
        await using var relayHost = await StartAsync(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));
        var (host, collection, commands, collectionName) = relayHost;
        var relay = host.Services.GetRequiredKeyedService<MongoOutboxRelay>(collectionName);
        var handoff = host.Services.GetRequiredKeyedService<MongoOutboxHandoff>(collectionName);
        await WaitUntilAsync(() => relay.Rounds >= 1, "the relay's first sweep");
        commands.Clear();

        for (var i = 0; i < documents; i++)
        {
            var id = $"doc-{i}";
            IReadOnlyList<BsonDocument> events = [Staged(id)];
            var document = new BsonDocument { { "_id", id }, { PendingEvent.FieldName, new BsonArray(events) } };
            Assert.True(await handoff.InsertAsync(collection, document, id, events, CancellationToken.None));
        }

        await WaitUntilAsync(() => relay.HandedOff >= documents && handoff.Outstanding == 0, "every handed document published");
        var counted = commands.ToArray();
        Assert.Equal(documents, counted.Count(c => c == "insert"));
        Assert.Equal(relay.ClearCommands, counted.Count(c => c == "update"));
        Assert.InRange(relay.ClearCommands, 1, documents);
        Assert.Equal(documents + relay.ClearCommands, counted.Length);

        var left = await collection.Find(Builders<BsonDocument>.Filter.SizeGt(PendingEvent.FieldName, 0)).CountDocumentsAsync();
        Assert.Equal(0, left);
        var leased = await collection.Find(Builders<BsonDocument>.Filter.Exists("pendingEventsLease")).CountDocumentsAsync();
        Assert.Equal(0, leased);
    }

    [Fact]
    public async Task A_leased_document_never_handed_off_is_published_by_the_sweep_after_its_lease()
    {
        await using var relayHost = await StartAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3));
        var (host, collection, _, collectionName) = relayHost;
        var relay = host.Services.GetRequiredKeyedService<MongoOutboxRelay>(collectionName);
        var handoff = host.Services.GetRequiredKeyedService<MongoOutboxHandoff>(collectionName);

        // The writer inserts leased, then its process "stops": the reservation is dropped without a hand-off.
        var reservation = handoff.TryReserve();
        Assert.NotNull(reservation);
        var document = new BsonDocument
        {
            { "_id", "orphan" },
            { PendingEvent.FieldName, new BsonArray { Staged("orphan") } },
            { reservation.LeaseField, reservation.LeaseUntil },
        };
        await collection.InsertOneAsync(document);
        reservation.Dispose();

        var rounds = relay.Rounds;
        await WaitUntilAsync(() => relay.Rounds >= rounds + 3, "three sweeps while the lease holds");
        if (DateTime.UtcNow < reservation.LeaseUntil)
        {
            Assert.Equal(1, await PendingCountAsync(collection, "orphan"));
        }

        var clock = Stopwatch.StartNew();
        while (await PendingCountAsync(collection, "orphan") > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The sweep never published the orphaned leased document.");
            await Task.Delay(100);
        }

        Assert.True(DateTime.UtcNow >= reservation.LeaseUntil, "The sweep published a document whose lease still held.");
        Assert.Equal(0, relay.HandedOff);
    }

    [Fact]
    public async Task Handed_documents_are_published_concurrently_up_to_the_configured_limit()
    {
        const int limit = 16;
        const int documents = 40;
        var publisher = new GatedPublisher();
        await using var relayHost = await StartAsync(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), publisher, limit);
        var (host, collection, commands, collectionName) = relayHost;
        var relay = host.Services.GetRequiredKeyedService<MongoOutboxRelay>(collectionName);
        var handoff = host.Services.GetRequiredKeyedService<MongoOutboxHandoff>(collectionName);
        await WaitUntilAsync(() => relay.Rounds >= 1, "the relay's first sweep");
        try
        {
            for (var i = 0; i < documents; i++)
            {
                var id = $"doc-{i}";
                IReadOnlyList<BsonDocument> events = [Staged(id)];
                Assert.True(await handoff.InsertAsync(collection, new BsonDocument { { "_id", id }, { PendingEvent.FieldName, new BsonArray(events) } }, id, events, CancellationToken.None));
            }

            // Every publish waits (an unconfirmed broker round trip): the relay must have the limit in flight, no more.
            await WaitUntilAsync(() => publisher.InFlight == limit, $"{limit} publishes in flight at once");
            await Task.Delay(300);
            Assert.Equal(limit, publisher.MaxInFlight);
        }
        finally
        {
            publisher.Release.TrySetResult();
        }

        await WaitUntilAsync(() => relay.HandedOff >= documents && handoff.Outstanding == 0, "every handed document published");
        Assert.Equal(documents, publisher.Published);
        Assert.Equal(limit, publisher.MaxInFlight);
        Assert.Equal(0, await collection.Find(Builders<BsonDocument>.Filter.SizeGt(PendingEvent.FieldName, 0)).CountDocumentsAsync());

        // The 16 released at once (and the rest behind them) were cleared in shared commands: at most 24 for 40 documents.
        Assert.Equal(relay.ClearCommands, commands.Count(c => c == "update"));
        Assert.InRange(relay.ClearCommands, 1, documents - limit);
        Assert.DoesNotContain("findAndModify", commands);
    }

    [Fact]
    public async Task A_document_changed_while_leased_is_cleared_alone_and_what_was_pushed_meanwhile_is_published_at_once()
    {
        var publisher = new GatedPublisher();
        await using var relayHost = await StartAsync(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), publisher);
        var (host, collection, commands, collectionName) = relayHost;
        var relay = host.Services.GetRequiredKeyedService<MongoOutboxRelay>(collectionName);
        var handoff = host.Services.GetRequiredKeyedService<MongoOutboxHandoff>(collectionName);
        await WaitUntilAsync(() => relay.Rounds >= 1, "the relay's first sweep");
        IReadOnlyList<BsonDocument> created = [Staged("busy")];
        try
        {
            Assert.True(await handoff.InsertAsync(collection, new BsonDocument { { "_id", "busy" }, { PendingEvent.FieldName, new BsonArray(created) } }, "busy", created, CancellationToken.None));
            await WaitUntilAsync(() => publisher.InFlight == 1, "the handed event being published");

            // An update of the leased document stages a second event (as a writer's change does, the lease holding).
            var pushed = await collection.UpdateOneAsync(
                Builders<BsonDocument>.Filter.Eq("_id", "busy"), Builders<BsonDocument>.Update.Push(PendingEvent.FieldName, Staged("busy")));
            Assert.Equal(1, pushed.ModifiedCount);
            Assert.Equal(2, await PendingCountAsync(collection, "busy"));
        }
        finally
        {
            publisher.Release.TrySetResult();
        }

        // Not left until the lease expires (30 s) or the next poll (10 min): the clear finds the second event and wakes the sweep.
        var clock = Stopwatch.StartNew();
        while (await PendingCountAsync(collection, "busy") > 0 || publisher.Published < 2)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "The event pushed while the document was leased was not published promptly.");
            await Task.Delay(50);
        }

        Assert.Equal(2, publisher.Published);
        Assert.Equal(1, relay.HandedOff);
        Assert.Contains("findAndModify", commands);
    }

    /// <summary>A publisher whose every publish waits until the test releases them, counting how many wait at once.</summary>
    private sealed class GatedPublisher : IIntegrationEventPublisher
    {
        private int _inFlight;
        private int _maxInFlight;
        private int _published;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public int Published => Volatile.Read(ref _published);

        public async Task PublishAsync(CloudEvent envelope, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
            }

            try
            {
                await Release.Task.WaitAsync(cancellationToken);
                Interlocked.Increment(ref _published);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task PublishAsync<TEvent>(TEvent data, string subject, CancellationToken cancellationToken) where TEvent : class, IIntegrationEvent =>
            throw new NotSupportedException();
    }

    private static BsonDocument Staged(string id) =>
        PendingEvent.Create(new TaskDeleted(Guid.NewGuid(), Guid.NewGuid(), null, "Handed", Guid.NewGuid(), 1, DateTimeOffset.UtcNow), $"docs/{id}").ToBson();

    private static async Task<int> PendingCountAsync(IMongoCollection<BsonDocument> collection, string id)
    {
        var document = await collection.Find(Builders<BsonDocument>.Filter.Eq("_id", id)).FirstOrDefaultAsync();
        return document is not null && document.TryGetValue(PendingEvent.FieldName, out var pending) ? pending.AsBsonArray.Count : 0;
    }

    private async Task<RelayHost> StartAsync(TimeSpan pollInterval, TimeSpan leaseDuration, IIntegrationEventPublisher? publisher = null, int? concurrentDocuments = null)
    {
        var collectionName = "handoff_" + Guid.NewGuid().ToString("N")[..8];
        var commands = new ConcurrentQueue<string>();
        var url = MongoUrl.Create(await fixture.GetConnectionStringAsync("tasksdb"));
        var settings = MongoClientSettings.FromUrl(url);
        settings.ClusterConfigurator = cluster => cluster.Subscribe<CommandStartedEvent>(e =>
        {
            var first = e.Command.ElementCount > 0 ? e.Command.GetElement(0).Value : BsonNull.Value;
            if (first.IsString && first.AsString == collectionName)
            {
                commands.Enqueue(e.CommandName);
            }
        });
        var database = new MongoClient(settings).GetDatabase(url.DatabaseName ?? "tasksdb");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = await fixture.GetConnectionStringAsync("rabbitmq"),
            ["Messaging:OutboxPollInterval"] = pollInterval.ToString(),
        });
        if (concurrentDocuments is int concurrent)
        {
            builder.Configuration["Messaging:OutboxConcurrentDocuments"] = concurrent.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Services.AddSingleton(database);
        if (publisher is not null)
        {
            builder.Services.AddSingleton(publisher);
        }

        builder.AddIntegrationEventPublisher();
        builder.AddMongoOutboxRelay(collectionName, outbox => outbox.LeaseDuration = leaseDuration);
        var host = builder.Build();
        await host.StartAsync();
        return new RelayHost(host, database.GetCollection<BsonDocument>(collectionName), commands, collectionName);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Timed out waiting for: {what}.");
            await Task.Delay(20);
        }
    }

    private sealed record RelayHost(IHost Host, IMongoCollection<BsonDocument> Collection, ConcurrentQueue<string> Commands, string CollectionName) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync();
            await Collection.Database.DropCollectionAsync(CollectionName);
            Host.Dispose();
        }
    }
}
