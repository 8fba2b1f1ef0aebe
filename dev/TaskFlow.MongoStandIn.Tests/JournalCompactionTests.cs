using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

/// <summary>
/// The journal of a long-running stand-in stays proportional to its data: many updates of the same documents
/// compact it while the server runs, and what it holds survives a restart. Restarts the stand-in itself, so it runs
/// only without TASKFLOW_TEST_MONGODB, like <see cref="DurabilityTests"/>.
/// </summary>
[Trait("Category", "Unit")]
public sealed class JournalCompactionTests : IDisposable
{
    private const long CompactAt = 64 * 1024;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mongostandin-compaction-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Many_updates_of_the_same_documents_keep_the_journal_bounded_and_the_data_survives_a_restart()
    {
        var payload = new string('p', 1024);
        var journal = Path.Combine(_dir, "journal.bin");
        long largest = 0;
        await using (var server = await MongoStandInServer.StartAsync(new MongoStandInOptions { DataDirectory = _dir, CompactJournalAtBytes = CompactAt }))
        using (var client = MongoFixture.CreateClient(server.ConnectionString))
        {
            var tasks = client.GetDatabase("app").GetCollection<BsonDocument>("tasks");
            await tasks.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("code"), new CreateIndexOptions { Unique = true }));
            await tasks.InsertManyAsync(Enumerable.Range(0, 20).Select(i => new BsonDocument { { "_id", i }, { "code", "c" + i }, { "n", 0 }, { "payload", payload } }));
            for (var round = 1; round <= 250; round++)
            {
                // Concurrent writers, as the services are: compaction runs while writes are queued.
                await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                    tasks.UpdateOneAsync(new BsonDocument("_id", i), new BsonDocument("$set", new BsonDocument { { "n", round }, { "payload", payload + round } }))));
                largest = Math.Max(largest, new FileInfo(journal).Length);
            }

            await tasks.DeleteOneAsync(new BsonDocument("_id", 19));
        }

        // 5,000 updates of about 1 KiB each would be over 5 MB uncompacted; the live data is about 21 KiB.
        Assert.True(largest < 4 * CompactAt, $"the journal grew to {largest} bytes");

        await using (var server = await MongoStandInServer.StartAsync(new MongoStandInOptions { DataDirectory = _dir, CompactJournalAtBytes = CompactAt }))
        using (var client = MongoFixture.CreateClient(server.ConnectionString))
        {
            var tasks = client.GetDatabase("app").GetCollection<BsonDocument>("tasks");
            var docs = await tasks.Find(new BsonDocument()).Sort(new BsonDocument("_id", 1)).ToListAsync();
            Assert.Equal(19, docs.Count);
            Assert.All(docs, d => Assert.Equal(250, d["n"].ToInt32()));
            Assert.All(docs, d => Assert.Equal(payload + 250, d["payload"].AsString));
            // The unique index came back with the data.
            var dup = await Assert.ThrowsAsync<MongoWriteException>(() => tasks.InsertOneAsync(new BsonDocument { { "_id", 100 }, { "code", "c3" } }));
            Assert.Equal(11000, dup.WriteError.Code);
        }
    }
}
