using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

/// <summary>What is not implemented answers a MongoDB error instead of a silently wrong result.</summary>
[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class ErrorTests(MongoFixture fixture)
{
    private readonly IMongoDatabase _db = fixture.NewDatabase("err");

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    private async Task<MongoCommandException> CommandFails(string command) =>
        await Assert.ThrowsAsync<MongoCommandException>(() => _db.RunCommandAsync<BsonDocument>(D(command)));

    [Fact]
    public async Task Malformed_commands_answer_error_documents()
    {
        await _db.GetCollection<BsonDocument>("c").InsertOneAsync(D("{a: 1}"));
        Assert.Equal(40415, (await CommandFails("{find: 'c', filterr: {}}")).Code);
        Assert.Equal(9, (await CommandFails("{aggregate: 'c', pipeline: []}")).Code);
        Assert.Equal(9, (await CommandFails("{findAndModify: 'c', query: {}}")).Code);
        Assert.Equal(9, (await CommandFails("{findAndModify: 'c', query: {}, remove: true, update: {$set: {a: 1}}}")).Code);
        Assert.Equal(51024, (await CommandFails("{find: 'c', skip: -1}")).Code);
        Assert.Equal(43, (await CommandFails("{getMore: NumberLong(12345), collection: 'c'}")).Code);
        Assert.Equal(2, (await CommandFails("{find: 'c', hint: 'no_such_index'}")).Code);
        Assert.Equal(73, (await CommandFails("{insert: 'bad$name', documents: [{}]}")).Code);

        var delete = await Assert.ThrowsAsync<MongoCommandException>(() => _db.RunCommandAsync<BsonDocument>(D("{delete: 'c', deletes: [{q: {}, limit: 5}]}")))
            .ContinueWith(t => t.IsFaulted ? null : t.Result);
        if (delete is null)
        {
            var reply = await _db.RunCommandAsync<BsonDocument>(D("{delete: 'c', deletes: [{q: {}, limit: 5}]}"));
            Assert.Equal(9, reply["writeErrors"][0]["code"].ToInt32());
        }
    }

    [Fact]
    public async Task Unsupported_features_are_rejected()
    {
        var c = _db.GetCollection<BsonDocument>("unsupported");
        await c.InsertOneAsync(D("{a: 'x'}"));
        if (!fixture.IsRealMongo)
        {
            // MongoDB runs $where in JavaScript; the stand-in has no JavaScript engine
            var where = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(D("{$where: 'this.a == 1'}")).ToListAsync());
            Assert.Equal(238, where.Code);
        }

        var near = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(D("{loc: {$near: [0, 0]}}")).ToListAsync());
        Assert.NotEqual(0, near.Code);
        var geoIndex = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{loc: '2d'}"))))
            .ContinueWith(t => t.IsFaulted ? null : t.Result);
        if (!fixture.IsRealMongo)
        {
            Assert.Equal(238, geoIndex!.Code);
            var collation = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(D("{a: 'X'}"), new FindOptions { Collation = new Collation("en", strength: CollationStrength.Secondary) }).ToListAsync());
            Assert.Equal(238, collation.Code);
            var outStage = await Assert.ThrowsAsync<MongoCommandException>(() => _db.RunCommandAsync<BsonDocument>(D("{aggregate: 'unsupported', pipeline: [{$out: 'x'}], cursor: {}}")));
            Assert.Equal(238, outStage.Code);
            var capped = await Assert.ThrowsAsync<MongoCommandException>(() => _db.CreateCollectionAsync("capped", new CreateCollectionOptions { Capped = true, MaxSize = 4096 }));
            Assert.Equal(238, capped.Code);
        }
    }

    [Fact]
    public async Task Unacknowledged_writes_are_applied_without_replies()
    {
        var c = _db.GetCollection<BsonDocument>("w0").WithWriteConcern(WriteConcern.Unacknowledged);
        for (var i = 0; i < 20; i++)
        {
            await c.InsertOneAsync(new BsonDocument("_id", i));
        }

        var acked = _db.GetCollection<BsonDocument>("w0");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await acked.CountDocumentsAsync(D("{}")) < 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(20, await acked.CountDocumentsAsync(D("{}")));
    }
}

[Trait("Category", "Unit")]
public sealed class TtlTests
{
    [Fact]
    public async Task Ttl_index_removes_expired_documents()
    {
        await using var server = await MongoStandInServer.StartAsync(new MongoStandInOptions { TtlMonitorInterval = TimeSpan.FromMilliseconds(100) });
        using var client = MongoFixture.CreateClient(server.ConnectionString);
        var c = client.GetDatabase("ttl").GetCollection<BsonDocument>("sessions");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(BsonDocument.Parse("{at: 1}"), new CreateIndexOptions { ExpireAfter = TimeSpan.FromSeconds(30) }));
        await c.InsertManyAsync(
        [
            new BsonDocument { { "_id", "old" }, { "at", DateTime.UtcNow.AddMinutes(-5) } },
            new BsonDocument { { "_id", "fresh" }, { "at", DateTime.UtcNow } },
            new BsonDocument { { "_id", "nodate" }, { "at", "yesterday" } },
        ]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await c.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty) > 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var ids = (await c.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync()).Select(d => d["_id"].AsString).Order();
        Assert.Equal(["fresh", "nodate"], ids);
    }
}
