using System.Text.RegularExpressions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

[Collection(MongoCollectionDefinition.Name)]
[Trait("Category", "Unit")]
public sealed class QueryTests : IAsyncLifetime
{
    private readonly MongoFixture _fixture;
    private readonly IMongoDatabase _db;
    private readonly IMongoCollection<BsonDocument> _c;

    public QueryTests(MongoFixture fixture)
    {
        _fixture = fixture;
        _db = fixture.NewDatabase("query");
        _c = _db.GetCollection<BsonDocument>("docs");
    }

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    public async Task InitializeAsync()
    {
        await _c.InsertManyAsync(
        [
            D("{_id: 1, n: 1, s: 'apple', tags: ['a', 'b'], sub: {x: 1, y: 'p'}, items: [{k: 'a', v: 1}, {k: 'b', v: 5}], flag: true}"),
            D("{_id: 2, n: 2.5, s: 'Banana', tags: ['b', 'c'], sub: {x: 2, y: 'q'}, items: [{k: 'a', v: 7}], nul: null}"),
            D("{_id: 3, n: NumberLong(3), s: 'cherry', tags: [], sub: {x: 3}, items: [], flag: false}"),
            D("{_id: 4, n: NumberDecimal('4'), s: 'date', tags: 'a', matrix: [[1, 2], [3]]}"),
            D("{_id: 5, n: '5', s: 'elder\\nberry', when: ISODate('2024-01-01T00:00:00Z')}"),
            D("{_id: 6, n: null, oid: ObjectId('65a000000000000000000001'), when: ISODate('2025-06-01T00:00:00Z')}"),
            D("{_id: 7, s: 'fig', bin: BinData(0, 'AQID'), items: [{k: 'c', v: 2, sub: [{z: 1}, {z: 9}]}]}"),
        ]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int[]> Ids(string filter) =>
        (await _c.Find(D(filter)).Sort(D("{_id: 1}")).ToListAsync()).Select(d => d["_id"].ToInt32()).ToArray();

    private async Task Expect(string filter, params int[] expected) => Assert.Equal(expected, await Ids(filter));

    private async Task Expect(FilterDefinition<BsonDocument> filter, params int[] expected) => Assert.Equal(expected, await Ids(filter));

    private async Task<int[]> Ids(FilterDefinition<BsonDocument> filter) =>
        (await _c.Find(filter).Sort(D("{_id: 1}")).ToListAsync()).Select(d => d["_id"].ToInt32()).ToArray();

    [Fact]
    public async Task Equality_and_comparison_are_type_bracketed_across_numeric_types()
    {
        await Expect("{n: 3}", 3);
        await Expect("{n: 3.0}", 3);
        await Expect("{n: NumberLong(4)}", 4);
        await Expect("{n: '5'}", 5);
        await Expect("{n: {$gte: 1}}", 1, 2, 3, 4);
        await Expect("{n: {$gt: 1, $lte: 4}}", 2, 3, 4);
        await Expect("{n: {$lt: NumberDecimal('3')}}", 1, 2);
        await Expect("{n: {$gte: ''}}", 5);
        await Expect("{n: {$eq: 2.5}}", 2);
        await Expect("{n: {$ne: 2.5}}", 1, 3, 4, 5, 6, 7);
        await Expect("{when: {$lt: ISODate('2024-06-01T00:00:00Z')}}", 5);
        await Expect("{oid: {$gt: ObjectId('65a000000000000000000000')}}", 6);
        await Expect("{s: {$lt: 'b'}}", 1, 2);
    }

    [Fact]
    public async Task Null_matches_null_and_missing()
    {
        await Expect("{nul: null}", 1, 2, 3, 4, 5, 6, 7);
        await Expect("{n: null}", 6, 7);
        await Expect("{n: {$ne: null}}", 1, 2, 3, 4, 5);
        await Expect("{n: {$in: [null]}}", 6, 7);
        await Expect("{nul: {$type: 'null'}}", 2);
        await Expect("{n: {$gt: null}}");
        await Expect("{n: {$gte: null}}", 6, 7);
    }

    [Fact]
    public async Task In_nin_exists_type()
    {
        await Expect("{n: {$in: [1, 3, 'x']}}", 1, 3);
        await Expect("{n: {$nin: [1, 3]}}", 2, 4, 5, 6, 7);
        await Expect("{flag: {$exists: true}}", 1, 3);
        await Expect("{flag: {$exists: false}}", 2, 4, 5, 6, 7);
        await Expect("{n: {$type: 'double'}}", 2);
        await Expect("{n: {$type: 1}}", 2);
        await Expect("{n: {$type: 'int'}}", 1);
        await Expect("{n: {$type: 'long'}}", 3);
        await Expect("{n: {$type: 'decimal'}}", 4);
        await Expect("{n: {$type: 'number'}}", 1, 2, 3, 4);
        await Expect("{n: {$type: ['string', 'bool']}}", 5);
        await Expect("{tags: {$type: 'array'}}", 1, 2, 3);
        await Expect("{tags: {$type: 'string'}}", 1, 2, 4);
        await Expect("{bin: {$type: 'binData'}}", 7);
        var bad = await Assert.ThrowsAsync<MongoCommandException>(() => Ids("{n: {$type: 'nope'}}"));
        Assert.Equal(2, bad.Code);
    }

    [Fact]
    public async Task Arrays_match_elements_and_whole_values()
    {
        await Expect("{tags: 'a'}", 1, 4);
        await Expect("{tags: ['a', 'b']}", 1);
        await Expect("{tags: ['b', 'a']}");
        await Expect("{tags: []}", 3);
        await Expect("{tags: {$all: ['b']}}", 1, 2);
        await Expect("{tags: {$all: ['c', 'b']}}", 2);
        await Expect("{tags: {$size: 0}}", 3);
        await Expect("{tags: {$size: 2}}", 1, 2);
        await Expect("{matrix: [3]}", 4);
        await Expect("{'matrix.0.1': 2}", 4);
        await Expect("{'tags.0': {$in: ['a', 'b']}}", 1, 2);
        await Expect("{'tags.1': 'c'}", 2);
    }

    [Fact]
    public async Task Dotted_paths_traverse_embedded_documents_and_arrays_of_documents()
    {
        await Expect("{'sub.x': 2}", 2);
        await Expect("{'sub.y': null}", 3, 4, 5, 6, 7);
        await Expect("{'items.k': 'a'}", 1, 2);
        await Expect("{'items.v': {$gt: 4}}", 1, 2);
        await Expect("{'items.0.v': 1}", 1);
        await Expect("{'items.sub.z': 9}", 7);
        // without $elemMatch the two conditions may be met by different elements
        await Expect("{'items.k': 'a', 'items.v': 5}", 1);
        await Expect("{items: {$elemMatch: {k: 'a', v: 5}}}");
        await Expect("{items: {$elemMatch: {k: 'a', v: {$gt: 5}}}}", 2);
        await Expect("{tags: {$elemMatch: {$gte: 'a', $lt: 'b'}}}", 1);
        await Expect("{items: {$all: [{$elemMatch: {k: 'a'}}]}}", 1, 2);
        await Expect("{'sub.x': {$lt: 3}}", 1, 2);
        await Expect("{sub: {x: 1, y: 'p'}}", 1);
        await Expect("{sub: {y: 'p', x: 1}}");
    }

    [Fact]
    public async Task Logical_operators()
    {
        await Expect("{$or: [{_id: 1}, {s: /berry$/}]}", 1, 5);
        await Expect("{$and: [{n: {$gte: 1}}, {n: {$lt: 2}}]}", 1);
        await Expect("{$nor: [{_id: {$lt: 4}}]}", 4, 5, 6, 7);
        await Expect("{n: {$not: {$gt: 1}}}", 1, 5, 6, 7);
        await Expect("{s: {$not: /^[ae]/}}", 2, 3, 4, 6, 7);
        var empty = await Assert.ThrowsAsync<MongoCommandException>(() => Ids("{$or: []}"));
        Assert.Equal(2, empty.Code);
    }

    [Fact]
    public async Task Regex_with_options_and_regex_values()
    {
        await Expect("{s: /^banana$/i}", 2);
        await Expect("{s: {$regex: '^ban', $options: 'i'}}", 2);
        await Expect("{s: {$regex: '^ban'}}");
        await Expect("{s: {$regex: '^berry', $options: 'm'}}", 5);
        await Expect("{s: {$regex: 'elder.berry', $options: 's'}}", 5);
        await Expect("{s: {$regex: 'elder.berry'}}");
        await Expect("{s: {$regex: ' a p p l e # comment', $options: 'x'}}", 1);
        await Expect("{tags: /^a/}", 1, 4);
        await Expect("{s: {$in: [/^a/, /^B/, 'cherry']}}", 1, 2, 3);
        await Expect(Builders<BsonDocument>.Filter.Regex("s", new BsonRegularExpression(new Regex("NAN", RegexOptions.IgnoreCase))), 2);
    }

    [Fact]
    public async Task Expr_and_mod()
    {
        await _db.GetCollection<BsonDocument>("expr").InsertManyAsync([D("{_id: 1, a: 5, b: 3}"), D("{_id: 2, a: 1, b: 3}")]);
        var ids = (await _db.GetCollection<BsonDocument>("expr").Find(D("{$expr: {$gt: ['$a', '$b']}}")).ToListAsync()).Select(d => d["_id"].ToInt32());
        Assert.Equal([1], ids);
        await Expect("{n: {$mod: [2, 1]}}", 1, 3);
    }

    [Fact]
    public async Task Text_search_requires_a_text_index()
    {
        var c = _db.GetCollection<BsonDocument>("text");
        await c.InsertManyAsync(
        [
            D("{_id: 1, title: 'Fix the login bug', body: 'users cannot sign in'}"),
            D("{_id: 2, title: 'Write docs', body: 'document the LOGIN flow'}"),
            D("{_id: 3, title: 'Refactor', body: 'clean up code'}"),
        ]);
        var noIndex = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(D("{$text: {$search: 'login'}}")).ToListAsync());
        Assert.Equal(27, noIndex.Code);

        await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{title: 'text', body: 'text'}")));
        var ids = (await c.Find(D("{$text: {$search: 'login'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order();
        Assert.Equal([1, 2], ids);
        ids = (await c.Find(D("{$text: {$search: 'CLEAN refactor'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order();
        Assert.Equal([3], ids);
        ids = (await c.Find(D("{$text: {$search: 'login -docs'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order();
        Assert.Equal([1], ids);
        ids = (await c.Find(D("{$text: {$search: '\"login bug\"'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order();
        Assert.Equal([1], ids);
        ids = (await c.Find(D("{$text: {$search: 'nothing-here'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order();
        Assert.Empty(ids);
        ids = (await c.Find(D("{$text: {$search: 'documenting'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order();
        Assert.Equal([2], ids); // stemmed: document/documenting
        ids = (await c.Find(D("{$text: {$search: 'the'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order();
        Assert.Empty(ids); // stop word

        var scored = await c.Find(D("{$text: {$search: 'login users'}}"))
            .Project(D("{score: {$meta: 'textScore'}}"))
            .Sort(D("{score: {$meta: 'textScore'}}"))
            .ToListAsync();
        Assert.Equal(1, scored[0]["_id"].ToInt32());
        Assert.True(scored[0]["score"].ToDouble() > scored[1]["score"].ToDouble());
    }

    [Fact]
    public async Task Unknown_operators_are_rejected_with_BadValue()
    {
        var field = await Assert.ThrowsAsync<MongoCommandException>(() => Ids("{n: {$foo: 1}}"));
        Assert.Equal(2, field.Code);
        Assert.Contains("unknown operator: $foo", field.Message);
        var top = await Assert.ThrowsAsync<MongoCommandException>(() => Ids("{$bar: 1}"));
        Assert.Equal(2, top.Code);
        Assert.Contains("unknown top level operator: $bar", top.Message);
        var empty = await Assert.ThrowsAsync<MongoCommandException>(() => _db.GetCollection<BsonDocument>("does_not_exist").Find(D("{a: {$foo: 1}}")).ToListAsync());
        Assert.Equal(2, empty.Code);
    }

    [Fact]
    public async Task Typed_linq_filters()
    {
        var tasks = _db.GetCollection<TaskItem>("typed");
        await tasks.InsertManyAsync(Enumerable.Range(1, 10).Select(i => new TaskItem
        {
            Title = "task " + i,
            Owner = i % 2 == 0 ? "ann" : "bob",
            Priority = i,
            Tags = i % 3 == 0 ? ["urgent"] : [],
            DueUtc = new DateTime(2030, 1, i, 0, 0, 0, DateTimeKind.Utc),
        }));
        var ann = await tasks.Find(t => t.Owner == "ann" && t.Priority > 4).SortByDescending(t => t.Priority).ToListAsync();
        Assert.Equal([10, 8, 6], ann.Select(t => t.Priority));
        var urgent = await tasks.Find(t => t.Tags.Contains("urgent")).ToListAsync();
        Assert.Equal([3, 6, 9], urgent.Select(t => t.Priority).Order());
        var titles = await tasks.Find(t => t.Title.StartsWith("task 1")).ToListAsync();
        Assert.Equal([1, 10], titles.Select(t => t.Priority).Order());
        var inList = await tasks.Find(Builders<TaskItem>.Filter.In(t => t.Priority, [2, 4, 99])).ToListAsync();
        Assert.Equal(2, inList.Count);
        var early = await tasks.CountDocumentsAsync(t => t.DueUtc < new DateTime(2030, 1, 4, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(3, early);
    }
}
