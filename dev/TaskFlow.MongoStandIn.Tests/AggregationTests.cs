using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Linq;

namespace TaskFlow.MongoStandIn.Tests;

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class AggregationTests : IAsyncLifetime
{
    private readonly IMongoDatabase _db;
    private readonly IMongoCollection<BsonDocument> _c;

    public AggregationTests(MongoFixture fixture)
    {
        _db = fixture.NewDatabase("agg");
        _c = _db.GetCollection<BsonDocument>("orders");
    }

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    public async Task InitializeAsync()
    {
        await _c.InsertManyAsync(
        [
            D("{_id: 1, cust: 'ann', amount: 10, items: ['a', 'b'], status: 'open'}"),
            D("{_id: 2, cust: 'bob', amount: 25.5, items: ['a'], status: 'done'}"),
            D("{_id: 3, cust: 'ann', amount: 5, items: [], status: 'done'}"),
            D("{_id: 4, cust: 'cid', amount: 40, items: ['c', 'a', 'b'], status: 'open'}"),
            D("{_id: 5, cust: 'ann', amount: 1, status: 'open'}"),
        ]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<BsonDocument>> Run(params string[] stages) =>
        await (await _c.AggregateAsync<BsonDocument>(stages.Select(D).ToArray())).ToListAsync();

    [Fact]
    public async Task Match_sort_skip_limit_project()
    {
        var r = await Run("{$match: {status: 'open'}}", "{$sort: {amount: -1}}", "{$skip: 1}", "{$limit: 1}", "{$project: {_id: 0, cust: 1, doubled: {$multiply: ['$amount', 2]}}}");
        Assert.Equal([D("{cust: 'ann', doubled: 20}")], r);
    }

    [Fact]
    public async Task Group_with_accumulators()
    {
        var r = await Run(
            "{$group: {_id: '$cust', total: {$sum: '$amount'}, n: {$sum: 1}, c: {$count: {}}, avg: {$avg: '$amount'}, lo: {$min: '$amount'}, hi: {$max: '$amount'}, first: {$first: '$_id'}, last: {$last: '$_id'}, ids: {$push: '$_id'}, statuses: {$addToSet: '$status'}}}",
            "{$sort: {_id: 1}}");
        Assert.Equal(3, r.Count);
        var ann = r[0];
        Assert.Equal("ann", ann["_id"].AsString);
        Assert.Equal(16, ann["total"].ToInt32());
        Assert.Equal(3, ann["n"].ToInt32());
        Assert.Equal(3, ann["c"].ToInt32());
        Assert.Equal(16.0 / 3, ann["avg"].ToDouble(), 6);
        Assert.Equal(1, ann["lo"].ToInt32());
        Assert.Equal(10, ann["hi"].ToInt32());
        Assert.Equal(1, ann["first"].ToInt32());
        Assert.Equal(5, ann["last"].ToInt32());
        Assert.Equal(new BsonArray { 1, 3, 5 }, ann["ids"]);
        Assert.Equal(2, ann["statuses"].AsBsonArray.Count);
        Assert.Equal(25.5, r[1]["total"].ToDouble());

        var all = await Run("{$group: {_id: null, total: {$sum: '$amount'}}}");
        Assert.Equal(81.5, all.Single()["total"].ToDouble());
    }

    [Fact]
    public async Task Count_unwind_facet_addFields()
    {
        Assert.Equal([D("{open: 3}")], await Run("{$match: {status: 'open'}}", "{$count: 'open'}"));
        Assert.Empty(await Run("{$match: {status: 'none'}}", "{$count: 'n'}"));

        var unwound = await Run("{$unwind: '$items'}", "{$project: {items: 1}}");
        Assert.Equal(6, unwound.Count);
        Assert.Equal(D("{_id: 1, items: 'a'}"), unwound[0]);

        var preserved = await Run("{$unwind: {path: '$items', preserveNullAndEmptyArrays: true, includeArrayIndex: 'idx'}}");
        Assert.Equal(8, preserved.Count);
        Assert.Equal(BsonNull.Value, preserved.Single(d => d["_id"] == 3)["idx"]);

        var facet = (await Run("{$facet: {byStatus: [{$group: {_id: '$status', n: {$sum: 1}}}, {$sort: {_id: 1}}], top: [{$sort: {amount: -1}}, {$limit: 1}, {$project: {_id: 1}}], total: [{$count: 'n'}]}}")).Single();
        Assert.Equal(new BsonArray { D("{_id: 'done', n: 2}"), D("{_id: 'open', n: 3}") }, facet["byStatus"]);
        Assert.Equal(new BsonArray { D("{_id: 4}") }, facet["top"]);
        Assert.Equal(5, facet["total"][0]["n"].ToInt32());

        var added = await Run("{$match: {_id: 1}}", "{$addFields: {n: {$size: '$items'}, 'meta.cust': {$toUpper: '$cust'}}}", "{$set: {big: {$gt: ['$amount', 5]}}}", "{$unset: ['items', 'status']}");
        Assert.Equal(D("{_id: 1, cust: 'ann', amount: 10, n: 2, meta: {cust: 'ANN'}, big: true}"), added.Single());
    }

    [Fact]
    public async Task Expressions_and_lookup()
    {
        var r = await Run(
            "{$match: {_id: 2}}",
            "{$project: {_id: 0, label: {$concat: ['$cust', '-', '$status']}, cond: {$cond: [{$gte: ['$amount', 20]}, 'big', 'small']}, nz: {$ifNull: ['$missing', 'dflt']}, firstItem: {$arrayElemAt: ['$items', 0]}, lowered: {$toLower: 'BoB'}, isArr: {$isArray: '$items'}, sub: {$subtract: [10, 4]}, div: {$divide: [9, 2]}}}");
        Assert.Equal(D("{label: 'bob-done', cond: 'big', nz: 'dflt', firstItem: 'a', lowered: 'bob', isArr: true, sub: 6, div: 4.5}"), r.Single());

        await _db.GetCollection<BsonDocument>("customers").InsertManyAsync([D("{_id: 'ann', city: 'Oslo'}"), D("{_id: 'bob', city: 'Rome'}")]);
        var joined = await Run("{$match: {_id: {$in: [1, 2]}}}", "{$lookup: {from: 'customers', localField: 'cust', foreignField: '_id', as: 'customer'}}", "{$project: {city: {$first: '$customer.city'}}}");
        Assert.Equal([D("{_id: 1, city: 'Oslo'}"), D("{_id: 2, city: 'Rome'}")], joined);
    }

    [Fact]
    public async Task Typed_aggregate_fluent_and_count_documents()
    {
        var tasks = _db.GetCollection<TaskItem>("typed");
        await tasks.InsertManyAsync(Enumerable.Range(1, 9).Select(i => new TaskItem { Title = "t" + i, Owner = "o" + (i % 3), Priority = i }));
        var perOwner = await tasks.Aggregate()
            .Match(t => t.Priority > 1)
            .Group(t => t.Owner, g => new { Owner = g.Key, Count = g.Count(), Sum = g.Sum(x => x.Priority) })
            .SortBy(x => x.Owner)
            .ToListAsync();
        Assert.Equal(["o0", "o1", "o2"], perOwner.Select(p => p.Owner));
        Assert.Equal([3, 2, 3], perOwner.Select(p => p.Count));
        Assert.Equal([18, 11, 15], perOwner.Select(p => p.Sum));
        Assert.Equal(4, await tasks.CountDocumentsAsync(t => t.Priority >= 3, new CountOptions { Skip = 1, Limit = 4 }));
    }

    [Fact]
    public async Task Linq_queryable_translates_to_pipelines_the_server_runs()
    {
        var tasks = _db.GetCollection<TaskItem>("linq");
        await tasks.InsertManyAsync(Enumerable.Range(1, 12).Select(i => new TaskItem { Title = "t" + i, Owner = i % 2 == 0 ? "ann" : "bob", Priority = i, Tags = i % 4 == 0 ? ["x"] : [] }));
        var q = tasks.AsQueryable();
        var titles = await q.Where(t => t.Owner == "ann" && t.Priority > 4).OrderByDescending(t => t.Priority).Select(t => t.Title).ToListAsync();
        Assert.Equal(["t12", "t10", "t8", "t6"], titles);
        var shaped = await q.Where(t => t.Tags.Any()).Select(t => new { t.Title, Double = t.Priority * 2, TagCount = t.Tags.Count }).ToListAsync();
        Assert.Equal([8, 16, 24], shaped.Select(s => s.Double).Order());
        Assert.All(shaped, s => Assert.Equal(1, s.TagCount));
        Assert.True(await q.AnyAsync(t => t.Priority == 7));
        Assert.False(await q.AnyAsync(t => t.Priority == 70));
        Assert.Equal(6, await q.CountAsync(t => t.Owner == "bob"));
        Assert.Equal(78, await q.SumAsync(t => t.Priority));
        var first = await q.OrderBy(t => t.Priority).Skip(2).FirstAsync();
        Assert.Equal(3, first.Priority);
        var groups = await q.GroupBy(t => t.Owner).Select(g => new { Owner = g.Key, Max = g.Max(t => t.Priority) }).OrderBy(g => g.Owner).ToListAsync();
        Assert.Equal([12, 11], groups.Select(g => g.Max));
    }

    [Fact]
    public async Task Unknown_stage_expression_and_accumulator_are_errors()
    {
        var stage = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{$nope: {}}"));
        Assert.Equal(40324, stage.Code);
        var expr = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{$project: {x: {$noSuchExpr: 1}}}"));
        Assert.Equal(168, expr.Code);
        var acc = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{$group: {_id: null, x: {$median2: '$a'}}}"));
        Assert.Equal(15952, acc.Code);
        var twoFields = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{$match: {}, $sort: {a: 1}}"));
        Assert.Equal(40323, twoFields.Code);
    }
}
