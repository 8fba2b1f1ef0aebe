using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class IndexTests(MongoFixture fixture)
{
    private readonly IMongoDatabase _db = fixture.NewDatabase("idx");

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    [Fact]
    public async Task Create_is_idempotent_list_and_drop()
    {
        var c = _db.GetCollection<BsonDocument>("c");
        var name = await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{email: 1}"), new CreateIndexOptions { Unique = true }));
        Assert.Equal("email_1", name);
        Assert.Equal("email_1", await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{email: 1}"), new CreateIndexOptions { Unique = true })));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{owner: 1, due: -1}")));

        var indexes = await (await c.Indexes.ListAsync()).ToListAsync();
        Assert.Equal(["_id_", "email_1", "owner_1_due_-1"], indexes.Select(i => i["name"].AsString));
        Assert.True(indexes[1]["unique"].AsBoolean);
        Assert.Equal(D("{owner: 1, due: -1}"), indexes[2]["key"].AsBsonDocument);

        var sameNameOtherKey = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{other: 1}"), new CreateIndexOptions { Name = "email_1" })));
        Assert.Equal(86, sameNameOtherKey.Code);
        var sameKeyOtherOptions = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{email: 1}"))));
        Assert.Equal(85, sameKeyOtherOptions.Code);

        await c.Indexes.DropOneAsync("email_1");
        var missing = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.DropOneAsync("email_1"));
        Assert.Equal(27, missing.Code);
        var idIndex = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.DropOneAsync("_id_"));
        Assert.Equal(72, idIndex.Code);
        await c.Indexes.DropAllAsync();
        indexes = await (await c.Indexes.ListAsync()).ToListAsync();
        Assert.Equal(["_id_"], indexes.Select(i => i["name"].AsString));

        // the driver maps NamespaceNotFound to an empty list; the raw command reports it
        Assert.Empty(await (await _db.GetCollection<BsonDocument>("nope").Indexes.ListAsync()).ToListAsync());
        var ns = await Assert.ThrowsAsync<MongoCommandException>(() => _db.RunCommandAsync<BsonDocument>(D("{listIndexes: 'nope'}")));
        Assert.Equal(26, ns.Code);
    }

    [Fact]
    public async Task Unique_index_violations_are_duplicate_key_errors()
    {
        var c = _db.GetCollection<BsonDocument>("users");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{email: 1}"), new CreateIndexOptions { Unique = true }));
        await c.InsertOneAsync(D("{_id: 1, email: 'a@x.io'}"));
        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{_id: 2, email: 'a@x.io'}")));
        Assert.Equal(11000, ex.WriteError.Code);
        Assert.Equal(ServerErrorCategory.DuplicateKey, ex.WriteError.Category);
        Assert.Contains($"E11000 duplicate key error collection: {_db.DatabaseNamespace.DatabaseName}.users index: email_1 dup key: {{ email: \"a@x.io\" }}", ex.WriteError.Message);

        var idDup = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{_id: 1, email: 'b@x.io'}")));
        Assert.Equal(11000, idDup.WriteError.Code);
        Assert.Contains("index: _id_ dup key: { _id: 1 }", idDup.WriteError.Message);

        await c.InsertOneAsync(D("{_id: 3, email: 'c@x.io'}"));
        var viaUpdate = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(D("{_id: 3}"), D("{$set: {email: 'a@x.io'}}")));
        Assert.Equal(11000, viaUpdate.WriteError.Code);
        Assert.Equal("c@x.io", (await c.Find(D("{_id: 3}")).SingleAsync())["email"].AsString);

        var viaFam = await Assert.ThrowsAsync<MongoCommandException>(() => c.FindOneAndUpdateAsync(D("{_id: 3}"), D("{$set: {email: 'a@x.io'}}")));
        Assert.Equal(11000, viaFam.Code);

        // missing fields collide as null in a non-sparse unique index
        await c.InsertOneAsync(D("{_id: 10}"));
        var nullDup = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{_id: 11}")));
        Assert.Equal(11000, nullDup.WriteError.Code);

        // building a unique index over duplicates fails
        var d = _db.GetCollection<BsonDocument>("dups");
        await d.InsertManyAsync([D("{k: 1}"), D("{k: 1}")]);
        var build = await Assert.ThrowsAsync<MongoCommandException>(() => d.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{k: 1}"), new CreateIndexOptions { Unique = true })));
        Assert.Equal(11000, build.Code);
    }

    [Fact]
    public async Task Compound_and_sparse_unique_indexes()
    {
        var c = _db.GetCollection<BsonDocument>("members");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{team: 1, user: 1}"), new CreateIndexOptions { Unique = true }));
        await c.InsertManyAsync([D("{team: 'a', user: 1}"), D("{team: 'a', user: 2}"), D("{team: 'b', user: 1}")]);
        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{team: 'a', user: 2}")));
        Assert.Equal(11000, ex.WriteError.Code);
        Assert.Contains("dup key: { team: \"a\", user: 2 }", ex.WriteError.Message);

        var s = _db.GetCollection<BsonDocument>("sparse");
        await s.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{code: 1}"), new CreateIndexOptions { Unique = true, Sparse = true }));
        await s.InsertManyAsync([D("{a: 1}"), D("{a: 2}"), D("{code: 'x'}")]);
        var sparseDup = await Assert.ThrowsAsync<MongoWriteException>(() => s.InsertOneAsync(D("{code: 'x'}")));
        Assert.Equal(11000, sparseDup.WriteError.Code);

        var multikey = _db.GetCollection<BsonDocument>("multikey");
        await multikey.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{tags: 1}"), new CreateIndexOptions { Unique = true }));
        await multikey.InsertOneAsync(D("{tags: ['a', 'b']}"));
        var mk = await Assert.ThrowsAsync<MongoWriteException>(() => multikey.InsertOneAsync(D("{tags: ['c', 'b']}")));
        Assert.Equal(11000, mk.WriteError.Code);
    }

    [Fact]
    public async Task Lookups_by_indexed_fields_do_not_scan_the_collection()
    {
        var c = _db.GetCollection<BsonDocument>("scan");
        const int count = 3000;
        await c.InsertManyAsync(Enumerable.Range(0, count).Select(i => new BsonDocument
        {
            { "_id", i },
            { "email", $"user{i}@x.io" },
            { "team", "t" + (i % 100) },
            { "n", i },
        }));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{email: 1}"), new CreateIndexOptions { Unique = true }));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{team: 1, n: 1}")));

        var byId = await Explain("{_id: 1234}");
        Assert.Equal(1, byId["nReturned"].ToInt32());
        Assert.Equal(1, byId["totalDocsExamined"].ToInt32());

        var byEmail = await Explain("{email: 'user2999@x.io'}");
        Assert.Equal(1, byEmail["nReturned"].ToInt32());
        Assert.Equal(1, byEmail["totalDocsExamined"].ToInt32());
        Assert.Equal(1, byEmail["totalKeysExamined"].ToInt32());

        var byLeadingCompound = await Explain("{team: 't7', n: {$gte: 0}}");
        Assert.Equal(30, byLeadingCompound["nReturned"].ToInt32());
        Assert.Equal(30, byLeadingCompound["totalDocsExamined"].ToInt32());

        var byIn = await Explain("{email: {$in: ['user1@x.io', 'user2@x.io', 'nobody']}}");
        Assert.Equal(2, byIn["nReturned"].ToInt32());
        Assert.Equal(2, byIn["totalDocsExamined"].ToInt32());

        var range = await Explain("{email: {$gte: 'user2990@x.io', $lt: 'user2999@x.io'}}");
        Assert.Equal(9, range["nReturned"].ToInt32());
        Assert.Equal(9, range["totalDocsExamined"].ToInt32());

        var scan = await Explain("{n: 1234}");
        Assert.Equal(1, scan["nReturned"].ToInt32());
        Assert.Equal(count, scan["totalDocsExamined"].ToInt32());

        async Task<BsonDocument> Explain(string filter)
        {
            var result = await _db.RunCommandAsync<BsonDocument>(new BsonDocument
            {
                { "explain", new BsonDocument { { "find", "scan" }, { "filter", D(filter) } } },
                { "verbosity", "executionStats" },
            });
            return result["executionStats"].AsBsonDocument;
        }
    }

    [Fact]
    public async Task Range_queries_over_indexes_keep_array_and_type_semantics()
    {
        var c = _db.GetCollection<BsonDocument>("ranges");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{a: 1}")));
        await c.InsertManyAsync(
        [
            D("{_id: 1, a: [1, 20]}"),
            D("{_id: 2, a: 7}"),
            D("{_id: 3, a: '8'}"),
            D("{_id: 4}"),
            D("{_id: 5, a: 12.5}"),
            D("{_id: 6, a: NumberLong(5)}"),
        ]);
        async Task<int[]> Ids(string filter) => (await c.Find(D(filter)).Sort(D("{_id: 1}")).ToListAsync()).Select(d => d["_id"].ToInt32()).ToArray();
        Assert.Equal(new[] { 1, 2 }, await Ids("{a: {$gt: 5, $lt: 10}}"));
        Assert.Equal(new[] { 1, 2, 5, 6 }, await Ids("{a: {$gte: 5}}"));
        Assert.Equal(new[] { 1, 6 }, await Ids("{a: {$lte: 5}}"));
        Assert.Equal(new[] { 3 }, await Ids("{a: {$gt: ''}}"));
        Assert.Equal(new[] { 2 }, await Ids("{a: {$gt: 5, $lt: 10}, _id: {$ne: 1}}"));
    }

    [Fact]
    public async Task Updates_keep_every_index_in_step_with_the_stored_document()
    {
        var c = _db.GetCollection<BsonDocument>("updates");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{a: 1}"), new CreateIndexOptions { Unique = true }));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{b: 1}"), new CreateIndexOptions { Unique = true }));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{tags: 1, a: 1}")));
        await c.InsertManyAsync([D("{_id: 1, a: 1, b: 'x', tags: ['p', 'q'], n: 0}"), D("{_id: 2, a: 2, b: 'y', tags: ['r'], n: 0}")]);

        async Task<(int[] Ids, BsonDocument[] Docs, int Examined)> Lookup(string filter)
        {
            var docs = await c.Find(D(filter)).Sort(D("{_id: 1}")).ToListAsync();
            var explain = await _db.RunCommandAsync<BsonDocument>(new BsonDocument
            {
                { "explain", new BsonDocument { { "find", "updates" }, { "filter", D(filter) } } },
                { "verbosity", "executionStats" },
            });
            return (docs.Select(d => d["_id"].ToInt32()).ToArray(), docs.ToArray(), explain["executionStats"]["totalDocsExamined"].ToInt32());
        }

        // no indexed field changes: every index still finds the document, at its new version
        await c.UpdateOneAsync(D("{_id: 1}"), D("{$set: {n: 1}}"));
        var byA = await Lookup("{a: 1}");
        Assert.Equal(new[] { 1 }, byA.Ids);
        Assert.Equal(1, byA.Docs[0]["n"].ToInt32());
        Assert.Equal(1, byA.Examined);
        Assert.Equal(1, (await Lookup("{tags: 'q'}")).Docs[0]["n"].ToInt32());

        // an indexed field changes: the old key is gone (and free again), the new one found through the index
        await c.UpdateOneAsync(D("{_id: 1}"), D("{$set: {a: 10}}"));
        Assert.Empty((await Lookup("{a: 1}")).Ids);
        var moved = await Lookup("{a: 10}");
        Assert.Equal(new[] { 1 }, moved.Ids);
        Assert.Equal(1, moved.Examined);
        await c.InsertOneAsync(D("{_id: 3, a: 1, b: 'z', tags: []}"));

        // a multikey field changes
        await c.FindOneAndUpdateAsync(D("{_id: 1}"), D("{$set: {tags: ['s']}}"));
        Assert.Empty((await Lookup("{tags: 'p'}")).Ids);
        Assert.Equal(new[] { 1 }, (await Lookup("{tags: 's'}")).Ids);

        // an update that breaks a second unique index changes nothing, not even the first index it touched
        var dup = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(D("{_id: 2}"), D("{$set: {a: 20, b: 'x'}}")));
        Assert.Equal(11000, dup.WriteError.Code);
        Assert.Equal(new[] { 2 }, (await Lookup("{a: 2}")).Ids);
        Assert.Empty((await Lookup("{a: 20}")).Ids);
        Assert.Equal(new[] { 2 }, (await Lookup("{b: 'y'}")).Ids);
        await c.InsertOneAsync(D("{_id: 4, a: 20, b: 'w', tags: []}"));

        // the same number as another type is a new key to store, and still the same value to a unique index
        await c.UpdateOneAsync(D("{_id: 2}"), D("{$set: {a: 2.0}}"));
        var asDouble = await Lookup("{a: 2}");
        Assert.Equal(new[] { 2 }, asDouble.Ids);
        Assert.Equal(BsonType.Double, asDouble.Docs[0]["a"].BsonType);
        Assert.Equal(11000, (await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{_id: 5, a: 2, b: 'v'}")))).WriteError.Code);
    }

    [Fact]
    public async Task StandInStats_counts_documents_examined()
    {
        // standInStats is the stand-in's own command: always asked of the stand-in, also in real-MongoDB mode.
        var db = fixture.StandInClient.GetDatabase("t_stats_" + Guid.NewGuid().ToString("N")[..12]);
        var c = db.GetCollection<BsonDocument>("stats");
        await c.InsertManyAsync(Enumerable.Range(0, 500).Select(i => new BsonDocument { { "_id", i }, { "k", "k" + i } }));
        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{k: 1}")));
        var before = await Examined();
        Assert.Equal("k42", (await c.Find(D("{k: 'k42'}")).SingleAsync())["k"].AsString);
        Assert.Equal(1, await Examined() - before);
        await c.Find(D("{_id: {$gt: 10}}")).ToListAsync();
        Assert.Equal(501, await Examined() - before);

        async Task<long> Examined()
        {
            var stats = await db.RunCommandAsync<BsonDocument>(new BsonDocument("standInStats", "stats"));
            return stats["collections"][0]["docsExamined"].ToInt64();
        }
    }
}
