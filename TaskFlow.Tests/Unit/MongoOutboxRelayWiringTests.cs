using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using TaskFlow.Messaging;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Outbox.MongoDB;
using TaskFlow.Tasks.IntegrationEvents;
using TaskFlow.Tasks.Model;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The product's MongoDB outbox relay against the in-process MongoDB stand-in, with a broker that goes down and comes
/// back: events that did not go out stay in their documents and are published after recovery; none is dropped.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MongoOutboxRelayWiringTests : IAsyncLifetime
{
    private const string Collection = "tasks";
    private static readonly string Owner = Guid.NewGuid().ToString();
    private readonly FlakyBrokerPublisher _broker = new();
    private InProcessMongo _mongo = null!;
    private IMongoCollection<BsonDocument> _tasks = null!;
    private IMongoDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _mongo = await InProcessMongo.StartAsync();
        _database = _mongo.Client.GetDatabase("relay_" + Guid.NewGuid().ToString("N")[..8]);
        _tasks = _database.GetCollection<BsonDocument>(Collection);
    }

    public async Task DisposeAsync() => await _mongo.DisposeAsync();

    private MongoOutboxRelay NewRelay() => new(
        Collection,
        new MongoOutboxOptions { LeaseDuration = TimeSpan.FromMilliseconds(1) },
        _database,
        _broker,
        new MongoOutboxHandoff(new MongoOutboxOptions()),
        new MessagingOptions
        {
            OutboxInitialBackoff = TimeSpan.FromMilliseconds(20),
            OutboxMaxBackoff = TimeSpan.FromMilliseconds(100),
            OutboxPollInterval = TimeSpan.FromMilliseconds(50),
        },
        new OutboxRelayState(),
        NullLogger<MongoOutboxRelay>.Instance);

    /// <summary>Stores <paramref name="count"/> task documents, each with two pending events (created, updated); returns all event ids.</summary>
    private async Task<List<string>> StageAsync(int count)
    {
        var outbox = new TaskEventOutbox();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var task = TaskItem.Create(new TaskInput { Title = $"Task {i}" }, Owner, DateTime.UtcNow);
            var done = task.Replace(new TaskInput { Title = $"Task {i}", Status = TaskItemStatus.Done }, DateTime.UtcNow.AddMilliseconds(1));
            var pending = outbox.Created(task, Owner).Concat(outbox.Updated(task, done, Owner)).ToList();
            ids.AddRange(pending.Select(p => p["id"].AsString));
            await _tasks.InsertOneAsync(new BsonDocument { { "_id", task.Id }, { "title", task.Title }, { PendingEvent.FieldName, new BsonArray(pending) } });
        }

        return ids;
    }

    private async Task<List<string>> PendingIdsAsync() =>
        [.. (await _tasks.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync())
            .SelectMany(d => d.GetValue(PendingEvent.FieldName, new BsonArray()).AsBsonArray)
            .Select(e => e["id"].AsString)];

    private async Task<long> ParkedCountAsync() =>
        await _tasks.CountDocumentsAsync(Builders<BsonDocument>.Filter.Exists(MongoOutboxRelay.FailedEventsField));

    [Fact]
    public async Task Events_stay_in_their_documents_while_the_broker_is_down_and_go_out_after_recovery()
    {
        var staged = await StageAsync(3);
        var relay = NewRelay();
        _broker.Down = true;

        var failedRound = await relay.RunOnceAsync(CancellationToken.None);

        Assert.True(failedRound.BrokerFailed);
        Assert.True(_broker.Failures > 0, "the broker outage must have been hit");
        Assert.Empty(_broker.Published);
        Assert.Equal(staged.Order(), (await PendingIdsAsync()).Order());
        Assert.Equal(0, await ParkedCountAsync());

        _broker.Down = false;
        var round = await relay.RunOnceAsync(CancellationToken.None);

        Assert.False(round.BrokerFailed);
        Assert.Equal(staged.Order(), _broker.Published.Order());
        Assert.Empty(await PendingIdsAsync());
    }

    [Fact]
    public async Task A_broker_that_fails_midway_leaves_exactly_the_unpublished_events_pending()
    {
        var staged = await StageAsync(4);
        var relay = NewRelay();
        _broker.SucceedBeforeFailing(3);

        var partial = await relay.RunOnceAsync(CancellationToken.None);

        Assert.True(partial.BrokerFailed);
        var publishedFirst = _broker.Published.ToList();
        Assert.InRange(publishedFirst.Count, 1, 3);
        var stillPending = await PendingIdsAsync();
        Assert.Empty(publishedFirst.Intersect(stillPending));
        Assert.Equal(staged.Order(), publishedFirst.Concat(stillPending).Order());

        _broker.SucceedBeforeFailing(int.MaxValue);
        var recovered = await relay.RunOnceAsync(CancellationToken.None);

        Assert.False(recovered.BrokerFailed);
        Assert.Empty(await PendingIdsAsync());
        Assert.Equal(staged.Order(), _broker.Published.Distinct().Order());
        Assert.Equal(0, await ParkedCountAsync());
    }

    [Fact]
    public async Task The_running_relay_keeps_retrying_through_an_outage_and_drops_nothing()
    {
        var staged = await StageAsync(2);
        _broker.Down = true;
        using var relay = NewRelay();
        await relay.StartAsync(CancellationToken.None);
        try
        {
            using var outage = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (_broker.Failures < 3)
            {
                await Task.Delay(10, outage.Token);
            }

            Assert.Equal(staged.Order(), (await PendingIdsAsync()).Order());

            _broker.Down = false;
            using var recovery = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await PendingIdsAsync()).Count > 0)
            {
                await Task.Delay(20, recovery.Token);
            }
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }

        Assert.Equal(staged.Order(), _broker.Published.Distinct().Order());
        Assert.Equal(0, await ParkedCountAsync());
    }
}
