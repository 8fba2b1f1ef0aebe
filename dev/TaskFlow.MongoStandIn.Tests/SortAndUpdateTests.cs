using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class SortTests(MongoFixture fixture)
{
    private readonly IMongoDatabase _db = fixture.NewDatabase("sort");

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    [Fact]
    public async Task Sort_orders_values_across_bson_types()
    {
        var c = _db.GetCollection<BsonDocument>("types");
        await c.InsertManyAsync(
        [
            D("{_id: 'maxkey', v: MaxKey}"),
            D("{_id: 'regex', v: /abc/}"),
            D("{_id: 'ts', v: Timestamp(1, 1)}"),
            D("{_id: 'date', v: ISODate('2020-01-01T00:00:00Z')}"),
            D("{_id: 'bool', v: true}"),
            D("{_id: 'oid', v: ObjectId('65a000000000000000000001')}"),
            D("{_id: 'bin', v: BinData(0, 'AQ==')}"),
            D("{_id: 'array', v: [[]]}"),
            D("{_id: 'object', v: {a: 1}}"),
            D("{_id: 'string', v: 'abc'}"),
            D("{_id: 'double', v: 2.5}"),
            D("{_id: 'int', v: 1}"),
            D("{_id: 'long', v: NumberLong(3)}"),
            D("{_id: 'decimal', v: NumberDecimal('2.7')}"),
            D("{_id: 'null', v: null}"),
            D("{_id: 'minkey', v: MinKey}"),
        ]);
        var ids = (await c.Find(D("{}")).Sort(D("{v: 1}")).ToListAsync()).Select(d => d["_id"].AsString).ToArray();
        string[] expected = ["minkey", "null", "int", "double", "decimal", "long", "string", "object", "array", "bin", "oid", "bool", "date", "ts", "regex", "maxkey"];
        Assert.Equal(expected, ids);
        var desc = (await c.Find(D("{}")).Sort(D("{v: -1}")).ToListAsync()).Select(d => d["_id"].AsString).ToArray();
        Assert.Equal(expected.Reverse(), desc);
    }

    [Fact]
    public async Task Missing_sorts_with_null_and_arrays_sort_by_min_or_max_element()
    {
        var c = _db.GetCollection<BsonDocument>("arrays");
        await c.InsertManyAsync(
        [
            D("{_id: 1, v: [5, 1]}"),
            D("{_id: 2, v: [3]}"),
            D("{_id: 3, v: 2}"),
            D("{_id: 4, v: [10, 0.5]}"),
            D("{_id: 5}"),
        ]);
        var asc = (await c.Find(D("{}")).Sort(D("{v: 1, _id: 1}")).ToListAsync()).Select(d => d["_id"].ToInt32());
        Assert.Equal([5, 4, 1, 3, 2], asc);
        var desc = (await c.Find(D("{}")).Sort(D("{v: -1, _id: 1}")).ToListAsync()).Select(d => d["_id"].ToInt32());
        Assert.Equal([4, 1, 2, 3, 5], desc);
    }

    [Fact]
    public async Task Compound_sort_and_dotted_sort_keys()
    {
        var c = _db.GetCollection<BsonDocument>("compound");
        await c.InsertManyAsync(
        [
            D("{_id: 1, a: 1, b: {c: 3}}"),
            D("{_id: 2, a: 2, b: {c: 1}}"),
            D("{_id: 3, a: 1, b: {c: 1}}"),
            D("{_id: 4, a: 2, b: {c: 2}}"),
        ]);
        var ids = (await c.Find(D("{}")).Sort(D("{a: -1, 'b.c': 1}")).ToListAsync()).Select(d => d["_id"].ToInt32());
        Assert.Equal([2, 4, 3, 1], ids);
        var bad = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(D("{}")).Sort(D("{a: 2}")).ToListAsync());
        Assert.Equal(15975, bad.Code);
    }
}

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class UpdateOperatorTests(MongoFixture fixture)
{
    private readonly IMongoDatabase _db = fixture.NewDatabase("updops");

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    private async Task<BsonDocument> Apply(string initial, string update, string? filter = null)
    {
        var c = _db.GetCollection<BsonDocument>("c" + Guid.NewGuid().ToString("N")[..8]);
        await c.InsertOneAsync(D(initial));
        await c.UpdateOneAsync(D(filter ?? "{}"), D(update));
        return await c.Find(D("{}")).SingleAsync();
    }

    private async Task<MongoWriteException> Fails(string initial, string update, string? filter = null)
    {
        var c = _db.GetCollection<BsonDocument>("c" + Guid.NewGuid().ToString("N")[..8]);
        await c.InsertOneAsync(D(initial));
        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(D(filter ?? "{}"), D(update)));
        Assert.Equal(D(initial), await c.Find(D("{}")).SingleAsync()); // unchanged: the update is atomic
        return ex;
    }

    [Fact]
    public async Task Set_and_unset_create_and_remove_nested_fields()
    {
        Assert.Equal(D("{_id: 1, a: 1, z: 0, b: {c: {d: 2}}}"), await Apply("{_id: 1, a: 1, z: 0}", "{$set: {'b.c.d': 2}}"));
        Assert.Equal(D("{_id: 1, a: 5}"), await Apply("{_id: 1, a: 1, b: 2}", "{$set: {a: 5}, $unset: {b: ''}}"));
        Assert.Equal(D("{_id: 1, arr: [1, 9, 3]}"), await Apply("{_id: 1, arr: [1, 2, 3]}", "{$set: {'arr.1': 9}}"));
        Assert.Equal(D("{_id: 1, arr: [1, null, null, 4]}"), await Apply("{_id: 1, arr: [1]}", "{$set: {'arr.3': 4}}"));
        Assert.Equal(D("{_id: 1, arr: [1, null]}"), await Apply("{_id: 1, arr: [1, 2]}", "{$unset: {'arr.1': 1}}"));
        Assert.Equal(D("{_id: 1, a: 1}"), await Apply("{_id: 1, a: 1}", "{$unset: {'x.y': 1}}"));
        var notViable = await Fails("{_id: 1, a: 5}", "{$set: {'a.b': 1}}");
        Assert.Equal(28, notViable.WriteError.Code);
    }

    [Fact]
    public async Task Inc_mul_min_max_with_numeric_promotion()
    {
        var r = await Apply("{_id: 1, i: 1, l: NumberLong(1), d: 1.5}", "{$inc: {i: 2, l: 1, d: 1, n: 5}}");
        Assert.Equal(BsonType.Int32, r["i"].BsonType);
        Assert.Equal(3, r["i"].AsInt32);
        Assert.Equal(BsonType.Int64, r["l"].BsonType);
        Assert.Equal(2.5, r["d"].AsDouble);
        Assert.Equal(5, r["n"].AsInt32);
        var overflow = await Apply("{_id: 1, i: 2147483647}", "{$inc: {i: 1}}");
        Assert.Equal(BsonType.Int64, overflow["i"].BsonType);
        Assert.Equal(2147483648L, overflow["i"].AsInt64);
        Assert.Equal(D("{_id: 1, a: 6, m: 0}"), await Apply("{_id: 1, a: 2}", "{$mul: {a: 3, m: 5}}"));
        Assert.Equal(D("{_id: 1, lo: 1, hi: 9}"), await Apply("{_id: 1, lo: 3, hi: 9}", "{$min: {lo: 1}, $max: {hi: 4}}"));
        Assert.Equal(D("{_id: 1, lo: 3, hi: 10}"), await Apply("{_id: 1, lo: 3, hi: 9}", "{$min: {lo: 5}, $max: {hi: 10}}"));

        var typeMismatch = await Fails("{_id: 1, s: 'x'}", "{$inc: {s: 1}}");
        Assert.Equal(14, typeMismatch.WriteError.Code);
        var badArg = await Fails("{_id: 1, s: 1}", "{$inc: {s: 'x'}}");
        Assert.Equal(14, badArg.WriteError.Code);
    }

    [Fact]
    public async Task Array_operators()
    {
        Assert.Equal(D("{_id: 1, a: [1, 2]}"), await Apply("{_id: 1, a: [1]}", "{$push: {a: 2}}"));
        Assert.Equal(D("{_id: 1, a: [3]}"), await Apply("{_id: 1}", "{$push: {a: 3}}"));
        Assert.Equal(D("{_id: 1, a: [3, 4, 5]}"), await Apply("{_id: 1, a: [1, 2]}", "{$push: {a: {$each: [3, 4, 5], $slice: -3}}}"));
        Assert.Equal(D("{_id: 1, a: [0, 1, 2]}"), await Apply("{_id: 1, a: [1, 2]}", "{$push: {a: {$each: [0], $position: 0}}}"));
        Assert.Equal(D("{_id: 1, a: [1, 2, 3]}"), await Apply("{_id: 1, a: [3, 1]}", "{$push: {a: {$each: [2], $sort: 1}}}"));
        Assert.Equal(D("{_id: 1, a: [1, 2, 3]}"), await Apply("{_id: 1, a: [1, 2]}", "{$addToSet: {a: {$each: [2, 3, 3]}}}"));
        Assert.Equal(D("{_id: 1, a: [1, 2]}"), await Apply("{_id: 1, a: [1, 2]}", "{$addToSet: {a: 1}}"));
        Assert.Equal(D("{_id: 1, a: [1, 3]}"), await Apply("{_id: 1, a: [1, 2, 3, 2]}", "{$pull: {a: 2}}"));
        Assert.Equal(D("{_id: 1, a: [1, 2]}"), await Apply("{_id: 1, a: [1, 2, 6, 7]}", "{$pull: {a: {$gte: 6}}}"));
        Assert.Equal(D("{_id: 1, a: [{k: 2}]}"), await Apply("{_id: 1, a: [{k: 1, x: 1}, {k: 2}]}", "{$pull: {a: {k: 1}}}"));
        Assert.Equal(D("{_id: 1, a: [2]}"), await Apply("{_id: 1, a: [1, 2, 3]}", "{$pullAll: {a: [1, 3]}}"));
        Assert.Equal(D("{_id: 1, a: [2, 3]}"), await Apply("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: -1}}"));
        Assert.Equal(D("{_id: 1, a: [1, 2]}"), await Apply("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: 1}}"));
        var notArray = await Fails("{_id: 1, a: 5}", "{$push: {a: 1}}");
        Assert.Equal(2, notArray.WriteError.Code);
    }

    [Fact]
    public async Task Positional_operator_updates_the_first_matched_element()
    {
        Assert.Equal(D("{_id: 1, grades: [80, 100, 90]}"), await Apply("{_id: 1, grades: [80, 85, 90]}", "{$set: {'grades.$': 100}}", "{grades: 85}"));
        Assert.Equal(
            D("{_id: 1, items: [{k: 'a', n: 1}, {k: 'b', n: 3}]}"),
            await Apply("{_id: 1, items: [{k: 'a', n: 1}, {k: 'b', n: 2}]}", "{$inc: {'items.$.n': 1}}", "{'items.k': 'b'}"));
        Assert.Equal(
            D("{_id: 1, items: [{k: 'a'}, {k: 'b', n: 2}]}"),
            await Apply("{_id: 1, items: [{k: 'a', n: 1}, {k: 'b', n: 2}]}", "{$unset: {'items.$.n': 1}}", "{items: {$elemMatch: {k: 'a'}}}"));
        Assert.Equal(D("{_id: 1, a: [2, 3]}"), await Apply("{_id: 1, a: [1, 2]}", "{$inc: {'a.$[]': 1}}"));
        var noMatch = await Fails("{_id: 1, a: [1, 2]}", "{$set: {'a.$': 5}}");
        Assert.Equal(2, noMatch.WriteError.Code);
    }

    [Fact]
    public async Task Rename_currentDate_setOnInsert()
    {
        Assert.Equal(D("{_id: 1, n: {y: 2}, b: 1}"), await Apply("{_id: 1, a: 1, n: {x: 2}}", "{$rename: {a: 'b', 'n.x': 'n.y'}}"));
        var dated = await Apply("{_id: 1}", "{$currentDate: {at: true, ts: {$type: 'timestamp'}}}");
        Assert.Equal(BsonType.DateTime, dated["at"].BsonType);
        Assert.True(Math.Abs((dated["at"].ToUniversalTime() - DateTime.UtcNow).TotalMinutes) < 5);
        Assert.Equal(BsonType.Timestamp, dated["ts"].BsonType);
        Assert.Equal(D("{_id: 1, a: 1}"), await Apply("{_id: 1, a: 1}", "{$setOnInsert: {b: 2}}"));
    }

    [Fact]
    public async Task Immutable_id_conflicts_and_unknown_modifiers()
    {
        var immutable = await Fails("{_id: 1, a: 1}", "{$set: {_id: 2}}");
        Assert.Equal(66, immutable.WriteError.Code);
        Assert.Equal(D("{_id: 1, a: 2}"), await Apply("{_id: 1, a: 1}", "{$set: {_id: 1, a: 2}}"));
        var conflict = await Fails("{_id: 1, a: {b: 1}}", "{$set: {'a.b': 2}, $unset: {a: 1}}");
        Assert.Equal(40, conflict.WriteError.Code);
        var same = await Fails("{_id: 1, a: 1}", "{$set: {a: 2}, $inc: {a: 1}}");
        Assert.Equal(40, same.WriteError.Code);
        var unknown = await Fails("{_id: 1}", "{$foo: {a: 1}}");
        Assert.Equal(9, unknown.WriteError.Code);
    }

    [Fact]
    public async Task ArrayFilters_are_answered_with_an_error_not_ignored()
    {
        var c = _db.GetCollection<BsonDocument>("af");
        await c.InsertOneAsync(D("{_id: 1, a: [1, 5, 9]}"));
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => c.UpdateOneAsync(
            D("{}"),
            D("{$set: {'a.$[x]': 0}}"),
            new UpdateOptions { ArrayFilters = [new BsonDocumentArrayFilterDefinition<BsonDocument>(D("{x: {$gt: 4}}"))] }));
        if (fixture.IsRealMongo)
        {
            Assert.Equal(D("{_id: 1, a: [1, 0, 0]}"), await c.Find(D("{}")).SingleAsync());
        }
        else
        {
            Assert.Contains("arrayFilters", ex.Message);
            Assert.Equal(D("{_id: 1, a: [1, 5, 9]}"), await c.Find(D("{}")).SingleAsync());
        }
    }
}
