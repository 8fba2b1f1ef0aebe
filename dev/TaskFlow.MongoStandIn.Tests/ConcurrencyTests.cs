using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class ConcurrencyTests(MongoFixture fixture)
{
    private readonly IMongoDatabase _db = fixture.NewDatabase("conc");

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    [Fact]
    public async Task Parallel_find_and_modify_with_the_same_version_filter_has_exactly_one_winner()
    {
        var c = _db.GetCollection<BsonDocument>("optimistic");
        for (var round = 0; round < 5; round++)
        {
            await c.InsertOneAsync(new BsonDocument { { "_id", round }, { "version", 0 }, { "owner", BsonNull.Value } });
            using var start = new ManualResetEventSlim(false);
            var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await c.FindOneAndUpdateAsync(
                    new BsonDocument { { "_id", round }, { "version", 0 } },
                    new BsonDocument("$set", new BsonDocument { { "owner", i }, { "version", 1 } }),
                    new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After });
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(attempts);
            var winners = results.Where(r => r is not null).ToList();
            Assert.Single(winners);
            var stored = await c.Find(new BsonDocument("_id", round)).SingleAsync();
            Assert.Equal(winners[0]!["owner"], stored["owner"]);
            Assert.Equal(1, stored["version"].ToInt32());
        }
    }

    [Fact]
    public async Task Parallel_increments_are_never_lost()
    {
        var c = _db.GetCollection<BsonDocument>("counter");
        await c.InsertOneAsync(D("{_id: 'c', n: 0}"));
        var workers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await c.UpdateOneAsync(D("{_id: 'c'}"), D("{$inc: {n: 1}}"));
            }
        }));
        await Task.WhenAll(workers);
        Assert.Equal(1000, (await c.Find(D("{_id: 'c'}")).SingleAsync())["n"].ToInt32());
    }

    [Fact]
    public async Task Parallel_inserts_of_the_same_unique_key_admit_one()
    {
        var c = _db.GetCollection<BsonDocument>("claims");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{key: 1}"), new CreateIndexOptions { Unique = true }));
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await c.InsertOneAsync(new BsonDocument { { "key", "k" }, { "by", i } });
                return true;
            }
            catch (MongoWriteException e) when (e.WriteError.Code == 11000)
            {
                return false;
            }
        }));
        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, await c.CountDocumentsAsync(D("{}")));
    }

    [Fact]
    public async Task Readers_see_whole_documents_while_writers_replace_them()
    {
        var c = _db.GetCollection<BsonDocument>("snapshots");
        await c.InsertOneAsync(D("{_id: 1, a: 0, b: 0}"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 200; i++)
            {
                await c.UpdateOneAsync(D("{_id: 1}"), new BsonDocument("$set", new BsonDocument { { "a", i }, { "b", i } }));
            }
        });
        var torn = 0;
        while (!writer.IsCompleted)
        {
            var d = await c.Find(D("{_id: 1}")).SingleAsync();
            if (d["a"] != d["b"])
            {
                torn++;
            }
        }

        await writer;
        Assert.Equal(0, torn);
    }
}
