using System.Diagnostics;
using System.Globalization;
using MongoDB.Bson;
using MongoDB.Driver;

// usage: Bench <connectionString> <N> [concurrency]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Bench <connectionString> <N> [concurrency]");
    return 2;
}

var connectionString = args[0];
var n = int.Parse(args[1], CultureInfo.InvariantCulture);
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;

var client = new MongoClient(connectionString);
var db = client.GetDatabase("bench_" + Guid.NewGuid().ToString("N")[..8]);
var coll = db.GetCollection<BsonDocument>("items");
await db.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));

// warm-up (JIT, connection pool)
for (var i = 0; i < 200; i++)
{
    await coll.InsertOneAsync(new BsonDocument { { "_id", -1 - i }, { "warm", true } });
    await coll.Find(new BsonDocument("_id", -1 - i)).FirstOrDefaultAsync();
}

async Task<double> RunAsync(Func<int, Task> op)
{
    var sw = Stopwatch.StartNew();
    var next = -1;
    var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < n)
        {
            await op(i);
        }
    }));
    await Task.WhenAll(workers);
    return n / sw.Elapsed.TotalSeconds;
}

var insertRate = await RunAsync(i => coll.InsertOneAsync(new BsonDocument
{
    { "_id", i },
    { "title", "task " + i },
    { "owner", "user" + (i % 50) },
    { "priority", i % 5 },
    { "tags", new BsonArray { "a", "b" } },
    { "createdAt", DateTime.UtcNow },
}));

var findRate = await RunAsync(async i =>
{
    var doc = await coll.Find(new BsonDocument("_id", i)).FirstOrDefaultAsync();
    if (doc is null)
    {
        throw new InvalidOperationException($"document {i} not found");
    }
});

Console.WriteLine($"concurrency={concurrency} N={n}");
Console.WriteLine($"insert (single-document, acknowledged): {insertRate:F0} ops/s");
Console.WriteLine($"find by _id:                            {findRate:F0} ops/s");
await client.DropDatabaseAsync(db.DatabaseNamespace.DatabaseName);
return 0;
