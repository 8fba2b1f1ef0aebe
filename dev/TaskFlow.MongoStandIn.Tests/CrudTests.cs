using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

public sealed class TaskItem
{
    [BsonId]
    public ObjectId Id { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Owner { get; set; } = string.Empty;

    public int Priority { get; set; }

    public List<string> Tags { get; set; } = [];

    public DateTime DueUtc { get; set; }

    public bool Done { get; set; }

    public long Version { get; set; }
}

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class CrudTests(MongoFixture fixture)
{
    private readonly IMongoDatabase _db = fixture.NewDatabase("crud");

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    [Fact]
    public async Task Typed_insert_find_update_delete_roundtrip()
    {
        var tasks = _db.GetCollection<TaskItem>("tasks");
        var due = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var item = new TaskItem { Title = "write tests", Owner = "ann", Priority = 2, Tags = ["dev", "qa"], DueUtc = due };
        await tasks.InsertOneAsync(item);
        Assert.NotEqual(ObjectId.Empty, item.Id);

        var loaded = await tasks.Find(t => t.Id == item.Id).SingleAsync();
        Assert.Equal("write tests", loaded.Title);
        Assert.Equal(due, loaded.DueUtc);
        Assert.Equal(["dev", "qa"], loaded.Tags);

        var result = await tasks.UpdateOneAsync(t => t.Id == item.Id, Builders<TaskItem>.Update.Set(t => t.Done, true).Inc(t => t.Version, 1));
        Assert.Equal(1, result.MatchedCount);
        Assert.Equal(1, result.ModifiedCount);

        var same = await tasks.UpdateOneAsync(t => t.Id == item.Id, Builders<TaskItem>.Update.Set(t => t.Done, true));
        Assert.Equal(1, same.MatchedCount);
        Assert.Equal(0, same.ModifiedCount);

        loaded = await tasks.Find(t => t.Owner == "ann" && t.Done).SingleAsync();
        Assert.Equal(1, loaded.Version);

        var deleted = await tasks.DeleteOneAsync(t => t.Id == item.Id);
        Assert.Equal(1, deleted.DeletedCount);
        Assert.Equal(0, await tasks.CountDocumentsAsync(FilterDefinition<TaskItem>.Empty));
    }

    [Fact]
    public async Task Insert_many_ordered_stops_at_first_error_unordered_continues()
    {
        var c = _db.GetCollection<BsonDocument>("ins");
        var ex = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() => c.InsertManyAsync(
            [D("{_id: 1}"), D("{_id: 2}"), D("{_id: 1}"), D("{_id: 3}")], new InsertManyOptions { IsOrdered = true }));
        Assert.Single(ex.WriteErrors);
        Assert.Equal(2, ex.WriteErrors[0].Index);
        Assert.Equal(11000, ex.WriteErrors[0].Code);
        Assert.Equal(2, await c.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));

        var ex2 = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() => c.InsertManyAsync(
            [D("{_id: 10}"), D("{_id: 2}"), D("{_id: 11}"), D("{_id: 1}"), D("{_id: 12}")], new InsertManyOptions { IsOrdered = false }));
        Assert.Equal([1, 3], ex2.WriteErrors.Select(e => e.Index).ToArray());
        Assert.Equal(5, await c.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task Id_is_generated_and_moved_first()
    {
        var c = _db.GetCollection<BsonDocument>("idfirst");
        await c.InsertOneAsync(D("{a: 1, _id: 'x'}"));
        var doc = await c.Find(D("{}")).SingleAsync();
        Assert.Equal("_id", doc.GetElement(0).Name);

        // raw insert without _id: the server generates an ObjectId
        await _db.RunCommandAsync<BsonDocument>(new BsonDocument { { "insert", "idgen" }, { "documents", new BsonArray { D("{a: 1}") } } });
        var generated = await _db.GetCollection<BsonDocument>("idgen").Find(D("{}")).SingleAsync();
        Assert.Equal(BsonType.ObjectId, generated["_id"].BsonType);
        Assert.Equal("_id", generated.GetElement(0).Name);
    }

    [Fact]
    public async Task Find_with_filter_sort_projection_skip_limit()
    {
        var c = _db.GetCollection<BsonDocument>("find");
        await c.InsertManyAsync(Enumerable.Range(1, 20).Select(i => new BsonDocument { { "_id", i }, { "n", i }, { "even", i % 2 == 0 }, { "sub", new BsonDocument { { "a", i }, { "b", -i } } } }));

        var docs = await c.Find(D("{even: true}"))
            .Sort(D("{n: -1}"))
            .Skip(2)
            .Limit(3)
            .Project(D("{n: 1, 'sub.a': 1}"))
            .ToListAsync();
        Assert.Equal([16, 14, 12], docs.Select(d => d["n"].ToInt32()).ToArray());
        Assert.Equal(D("{_id: 16, n: 16, sub: {a: 16}}"), docs[0]);

        var excluded = await c.Find(D("{_id: 3}")).Project(D("{sub: 0, even: 0}")).SingleAsync();
        Assert.Equal(D("{_id: 3, n: 3}"), excluded);

        var noId = await c.Find(D("{_id: 3}")).Project(D("{_id: 0, n: 1}")).SingleAsync();
        Assert.Equal(D("{n: 3}"), noId);

        var nestedExclusion = await c.Find(D("{_id: 4}")).Project(D("{'sub.b': 0, even: 0}")).SingleAsync();
        Assert.Equal(D("{_id: 4, n: 4, sub: {a: 4}}"), nestedExclusion);

        var mixed = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(D("{}")).Project(D("{n: 1, even: 0}")).ToListAsync());
        Assert.Equal(31254, mixed.Code);
    }

    [Fact]
    public async Task Projection_slice_elemMatch_and_positional()
    {
        var c = _db.GetCollection<BsonDocument>("proj");
        await c.InsertOneAsync(D("{_id: 1, arr: [1,2,3,4,5], items: [{k: 'a', v: 1}, {k: 'b', v: 2}, {k: 'c', v: 3}], other: 'x'}"));

        var sliced = await c.Find(D("{_id: 1}")).Project(D("{arr: {$slice: 2}}")).SingleAsync();
        Assert.Equal(new BsonArray { 1, 2 }, sliced["arr"]);
        Assert.Equal("x", sliced["other"].AsString);

        var sliceEnd = await c.Find(D("{_id: 1}")).Project(D("{arr: {$slice: [-2, 1]}}")).SingleAsync();
        Assert.Equal(new BsonArray { 4 }, sliceEnd["arr"]);

        var em = await c.Find(D("{_id: 1}")).Project(D("{items: {$elemMatch: {v: {$gte: 2}}}}")).SingleAsync();
        Assert.Equal(D("{_id: 1, items: [{k: 'b', v: 2}]}"), em);

        var positional = await c.Find(D("{'items.k': 'c'}")).Project(D("{'items.$': 1}")).SingleAsync();
        Assert.Equal(D("{_id: 1, items: [{k: 'c', v: 3}]}"), positional);

        var arrayOfDocs = await c.Find(D("{_id: 1}")).Project(D("{'items.v': 1, _id: 0}")).SingleAsync();
        Assert.Equal(D("{items: [{v: 1}, {v: 2}, {v: 3}]}"), arrayOfDocs);
    }

    [Fact]
    public async Task Cursor_with_small_batch_size_returns_every_document_once()
    {
        var c = _db.GetCollection<BsonDocument>("cursor");
        await c.InsertManyAsync(Enumerable.Range(0, 1000).Select(i => new BsonDocument { { "_id", i }, { "pad", new string('x', 100) } }));
        var seen = new List<int>();
        var batches = 0;
        using (var cursor = await c.FindAsync(D("{}"), new FindOptions<BsonDocument> { BatchSize = 7, Sort = D("{_id: 1}") }))
        {
            while (await cursor.MoveNextAsync())
            {
                batches++;
                var batch = cursor.Current.ToList();
                Assert.True(batch.Count <= 7);
                seen.AddRange(batch.Select(d => d["_id"].ToInt32()));
            }
        }

        Assert.Equal(Enumerable.Range(0, 1000), seen);
        Assert.True(batches >= 1000 / 7);

        // limit larger than the batch size
        var limited = await c.Find(D("{}")).Sort(D("{_id: -1}")).Limit(25).ToListAsync(); // default batch
        Assert.Equal(25, limited.Count);
        var limitedBatched = await (await c.FindAsync(D("{}"), new FindOptions<BsonDocument> { Limit = 25, BatchSize = 4 })).ToListAsync();
        Assert.Equal(25, limitedBatched.Count);

        // aggregate cursor with getMore
        var agg = await (await c.AggregateAsync<BsonDocument>(new BsonDocument[] { D("{$match: {_id: {$gte: 500}}}") }, new AggregateOptions { BatchSize = 10 })).ToListAsync();
        Assert.Equal(500, agg.Count);
    }

    [Fact]
    public async Task GetMore_on_a_killed_cursor_fails_with_CursorNotFound()
    {
        var c = _db.GetCollection<BsonDocument>("kill");
        await c.InsertManyAsync(Enumerable.Range(0, 50).Select(i => new BsonDocument("_id", i)));
        var first = await _db.RunCommandAsync<BsonDocument>(D("{find: 'kill', batchSize: 5}"));
        var id = first["cursor"]["id"].AsInt64;
        Assert.NotEqual(0, id);
        var killed = await _db.RunCommandAsync<BsonDocument>(new BsonDocument { { "killCursors", "kill" }, { "cursors", new BsonArray { id } } });
        Assert.Equal(id, killed["cursorsKilled"][0].AsInt64);
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => _db.RunCommandAsync<BsonDocument>(new BsonDocument { { "getMore", id }, { "collection", "kill" } }));
        Assert.Equal(43, ex.Code);
    }

    [Fact]
    public async Task Update_many_upsert_and_replace()
    {
        var c = _db.GetCollection<BsonDocument>("upd");
        await c.InsertManyAsync([D("{_id: 1, g: 'a', n: 1}"), D("{_id: 2, g: 'a', n: 2}"), D("{_id: 3, g: 'b', n: 3}")]);

        var many = await c.UpdateManyAsync(D("{g: 'a'}"), D("{$inc: {n: 10}}"));
        Assert.Equal(2, many.MatchedCount);
        Assert.Equal(2, many.ModifiedCount);

        var up = await c.UpdateOneAsync(D("{g: 'c', k: 5}"), D("{$set: {n: 7}, $setOnInsert: {created: true}}"), new UpdateOptions { IsUpsert = true });
        Assert.Equal(0, up.MatchedCount);
        Assert.NotNull(up.UpsertedId);
        var upserted = await c.Find(new BsonDocument("_id", up.UpsertedId)).SingleAsync();
        Assert.Equal("c", upserted["g"].AsString);
        Assert.Equal(5, upserted["k"].ToInt32());
        Assert.Equal(7, upserted["n"].ToInt32());
        Assert.True(upserted["created"].AsBoolean);

        var again = await c.UpdateOneAsync(D("{g: 'c', k: 5}"), D("{$set: {n: 8}, $setOnInsert: {created: false}}"), new UpdateOptions { IsUpsert = true });
        Assert.Equal(1, again.MatchedCount);
        Assert.Null(again.UpsertedId);
        Assert.True((await c.Find(D("{g: 'c'}")).SingleAsync())["created"].AsBoolean);

        var replaced = await c.ReplaceOneAsync(D("{_id: 3}"), D("{g: 'z'}"));
        Assert.Equal(1, replaced.ModifiedCount);
        Assert.Equal(D("{_id: 3, g: 'z'}"), await c.Find(D("{_id: 3}")).SingleAsync());

        var replaceUpsert = await c.ReplaceOneAsync(D("{_id: 99}"), D("{g: 'new'}"), new ReplaceOptions { IsUpsert = true });
        Assert.Equal(99, replaceUpsert.UpsertedId.ToInt32());
        Assert.Equal(D("{_id: 99, g: 'new'}"), await c.Find(D("{_id: 99}")).SingleAsync());

        var changeId = await Assert.ThrowsAsync<MongoWriteException>(() => c.ReplaceOneAsync(D("{_id: 99}"), D("{_id: 100, g: 'x'}")));
        Assert.Equal(66, changeId.WriteError.Code);
    }

    [Fact]
    public async Task Update_pipeline_sets_computed_fields()
    {
        var c = _db.GetCollection<BsonDocument>("updpipe");
        await c.InsertOneAsync(D("{_id: 1, a: 2, b: 3}"));
        var pipeline = new EmptyPipelineDefinition<BsonDocument>().AppendStage<BsonDocument, BsonDocument, BsonDocument>(D("{$set: {sum: {$add: ['$a', '$b']}}}"));
        await c.UpdateOneAsync(D("{_id: 1}"), Builders<BsonDocument>.Update.Pipeline(pipeline));
        Assert.Equal(5, (await c.Find(D("{_id: 1}")).SingleAsync())["sum"].ToInt32());
    }

    [Fact]
    public async Task Delete_one_and_many()
    {
        var c = _db.GetCollection<BsonDocument>("del");
        await c.InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument { { "_id", i }, { "odd", i % 2 == 1 } }));
        Assert.Equal(1, (await c.DeleteOneAsync(D("{odd: true}"))).DeletedCount);
        Assert.Equal(4, (await c.DeleteManyAsync(D("{odd: true}"))).DeletedCount);
        Assert.Equal(0, (await c.DeleteManyAsync(D("{odd: true}"))).DeletedCount);
        Assert.Equal(5, await c.CountDocumentsAsync(D("{}")));
        Assert.Equal(5, await c.EstimatedDocumentCountAsync());
    }

    [Fact]
    public async Task FindAndModify_variants()
    {
        var c = _db.GetCollection<BsonDocument>("fam");
        await c.InsertManyAsync([D("{_id: 1, q: 'x', v: 1}"), D("{_id: 2, q: 'x', v: 5}")]);

        var before = await c.FindOneAndUpdateAsync(D("{q: 'x'}"), D("{$inc: {v: 1}}"), new FindOneAndUpdateOptions<BsonDocument> { Sort = D("{v: -1}") });
        Assert.Equal(D("{_id: 2, q: 'x', v: 5}"), before);

        var after = await c.FindOneAndUpdateAsync(D("{_id: 1}"), D("{$set: {v: 10}}"), new FindOneAndUpdateOptions<BsonDocument>
        {
            ReturnDocument = ReturnDocument.After,
            Projection = D("{v: 1, _id: 0}"),
        });
        Assert.Equal(D("{v: 10}"), after);

        var upserted = await c.FindOneAndUpdateAsync(D("{_id: 3}"), D("{$set: {v: 0}}"), new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After });
        Assert.Equal(D("{_id: 3, v: 0}"), upserted);

        var none = await c.FindOneAndUpdateAsync(D("{_id: 42}"), D("{$set: {v: 0}}"));
        Assert.Null(none);

        var replaced = await c.FindOneAndReplaceAsync(D("{_id: 3}"), D("{w: 1}"), new FindOneAndReplaceOptions<BsonDocument> { ReturnDocument = ReturnDocument.After });
        Assert.Equal(D("{_id: 3, w: 1}"), replaced);

        var removed = await c.FindOneAndDeleteAsync(D("{_id: 3}"));
        Assert.Equal(D("{_id: 3, w: 1}"), removed);
        Assert.Equal(2, await c.CountDocumentsAsync(D("{}")));

        var raw = await _db.RunCommandAsync<BsonDocument>(D("{findAndModify: 'fam', query: {_id: 50}, update: {$set: {a: 1}}, upsert: true}"));
        Assert.Equal(BsonNull.Value, raw["value"]);
        Assert.False(raw["lastErrorObject"]["updatedExisting"].AsBoolean);
        Assert.Equal(50, raw["lastErrorObject"]["upserted"].ToInt32());
    }

    [Fact]
    public async Task Count_and_distinct()
    {
        var c = _db.GetCollection<BsonDocument>("cnt");
        await c.InsertManyAsync([D("{g: 'a', tags: ['x', 'y']}"), D("{g: 'b', tags: ['y']}"), D("{g: 'a', tags: 'z'}"), D("{g: 1}")]);
        Assert.Equal(2, await c.CountDocumentsAsync(D("{g: 'a'}")));
        Assert.Equal(1, await c.CountDocumentsAsync(D("{}"), new CountOptions { Skip = 1, Limit = 1 }));
        var raw = await _db.RunCommandAsync<BsonDocument>(D("{count: 'cnt', query: {tags: 'y'}, skip: 1}"));
        Assert.Equal(1, raw["n"].ToInt32());

        var groups = await (await c.DistinctAsync<BsonValue>("g", D("{}"))).ToListAsync();
        Assert.Equal(3, groups.Count);
        Assert.Contains(new BsonString("a"), groups);
        Assert.Contains(new BsonInt32(1), groups);
        var tags = await (await c.DistinctAsync<string>("tags", D("{g: {$type: 'string'}}"))).ToListAsync();
        Assert.Equal(["x", "y", "z"], tags.Order());
    }

    [Fact]
    public async Task Large_documents_and_many_documents_roundtrip()
    {
        var c = _db.GetCollection<BsonDocument>("big");
        var big = new BsonDocument { { "_id", 1 }, { "blob", new BsonBinaryData(new byte[4 * 1024 * 1024]) }, { "text", new string('a', 1024 * 1024) } };
        await c.InsertOneAsync(big);
        var loaded = await c.Find(D("{_id: 1}")).SingleAsync();
        Assert.Equal(4 * 1024 * 1024, loaded["blob"].AsBsonBinaryData.Bytes.Length);

        var docs = Enumerable.Range(0, 5000).Select(i => new BsonDocument { { "i", i } }).ToList();
        await _db.GetCollection<BsonDocument>("many").InsertManyAsync(docs);
        Assert.Equal(5000, await _db.GetCollection<BsonDocument>("many").CountDocumentsAsync(D("{}")));
    }
}
