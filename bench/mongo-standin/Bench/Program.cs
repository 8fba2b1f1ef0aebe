using System.Diagnostics;
using System.Globalization;
using MongoDB.Bson;
using MongoDB.Driver;
using TaskFlow.Tasks.Infrastructure;

// usage: Bench <connectionString> <N> [concurrency] [stand-in pid: also print its CPU per operation]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Bench <connectionString> <N> [concurrency]");
    return 2;
}

var connectionString = args[0];
var n = int.Parse(args[1], CultureInfo.InvariantCulture);
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
var standInPid = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
var cpuPerOp = new List<string>();

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

// utime + stime of the stand-in, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the name may hold spaces)
long StandInTicks()
{
    var stat = File.ReadAllText($"/proc/{standInPid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

async Task<double> RunAsync(Func<int, Task> op)
{
    var ticks = standInPid > 0 ? StandInTicks() : 0;
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
    var rate = n / sw.Elapsed.TotalSeconds;
    if (standInPid > 0)
    {
        // USER_HZ is 100 on Linux: 10 ms per tick
        cpuPerOp.Add($"{(StandInTicks() - ticks) * 10_000.0 / n:F0}");
    }

    return rate;
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

// The Tasks write path: a task document with its indexes (TaskIndexes: participants and tags are multikey) and one
// pending event, inserted leased, then the outbox relay's clear: one findAndModify that pulls the event and unsets the lease.
var tasks = db.GetCollection<BsonDocument>("tasks");
// The Tasks service's own index definitions (TaskIndexes, as MongoIndexInitializer creates them), plus the relay's.
async Task CreateTaskIndexesAsync(string collectionName)
{
    await db.GetCollection<TaskDocument>(collectionName).Indexes.CreateManyAsync(TaskIndexes.ForTasks());
    await db.GetCollection<BsonDocument>(collectionName).Indexes.CreateOneAsync(
        new CreateIndexModel<BsonDocument>(new BsonDocument("pendingEvents.createdAt", 1)));
}

await CreateTaskIndexesAsync("tasks");
var taskInsertRate = await RunAsync(i => tasks.InsertOneAsync(new BsonDocument
{
    { "_id", "t" + i },
    { "title", "task " + i },
    { "description", "write the benchmark for task " + i },
    { "ownerId", "user" + (i % 50) },
    { "assigneeId", "user" + ((i + 1) % 50) },
    { "participants", new BsonArray { "user" + (i % 50), "user" + ((i + 1) % 50) } },
    { "status", "todo" },
    { "priority", i % 3 },
    { "dueDate", DateTime.UtcNow.AddDays(i % 30) },
    { "tags", new BsonArray { "bench", "t" + (i % 7) } },
    { "createdAt", DateTime.UtcNow },
    { "version", 1L },
    { "pendingEvents", new BsonArray { new BsonDocument { { "id", "e" + i }, { "type", "task.created" }, { "createdAt", DateTime.UtcNow }, { "envelope", new string('x', 600) } } } },
    { "pendingEventsLease", DateTime.UtcNow.AddSeconds(30) },
}));
var clearRate = await RunAsync(async i =>
{
    var after = await tasks.FindOneAndUpdateAsync(
        Builders<BsonDocument>.Filter.Eq("_id", "t" + i),
        Builders<BsonDocument>.Update.Unset("pendingEventsLease").PullFilter("pendingEvents", Builders<BsonDocument>.Filter.In("id", new BsonArray { "e" + i })),
        new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After, Projection = Builders<BsonDocument>.Projection.Include("pendingEvents.id") });
    if (after is null || after["pendingEvents"].AsBsonArray.Count != 0)
    {
        throw new InvalidOperationException($"task {i} was not cleared");
    }
});

// The relay's batched clear (MongoOutboxRelay.Clears.cs): the same statements, 16 per unordered update command, on
// a second set of task documents.
var taskDocs = await tasks.Find(new BsonDocument()).Limit(n).ToListAsync();
var batchedTasks = db.GetCollection<BsonDocument>("tasks_batched");
await CreateTaskIndexesAsync("tasks_batched");

await batchedTasks.InsertManyAsync(taskDocs.Select(d =>
{
    d["pendingEvents"] = new BsonArray { new BsonDocument { { "id", "e" + d["_id"].AsString[1..] }, { "type", "task.created" }, { "createdAt", DateTime.UtcNow }, { "envelope", new string('x', 600) } } };
    d["pendingEventsLease"] = DateTime.UtcNow.AddSeconds(30);
    return d;
}));
const int perCommand = 16;
var batchedRate = await RunAsync(async i =>
{
    if (i % perCommand != 0)
    {
        return;
    }

    var filter = Builders<BsonDocument>.Filter;
    var statements = Enumerable.Range(i, Math.Min(perCommand, n - i)).Select(j => new UpdateOneModel<BsonDocument>(
        filter.Eq("_id", "t" + j) & filter.Size("pendingEvents", 1) & filter.All("pendingEvents.id", new[] { "e" + j }),
        Builders<BsonDocument>.Update.Unset("pendingEventsLease").PullFilter("pendingEvents", filter.In("id", new BsonArray { "e" + j })))).ToList();
    var result = await batchedTasks.BulkWriteAsync(statements, new BulkWriteOptions { IsOrdered = false });
    if (result.MatchedCount != statements.Count)
    {
        throw new InvalidOperationException($"batch at {i} matched {result.MatchedCount} of {statements.Count}");
    }
});

Console.WriteLine($"concurrency={concurrency} N={n}");
Console.WriteLine($"insert (single-document, acknowledged): {insertRate:F0} ops/s");
Console.WriteLine($"find by _id:                            {findRate:F0} ops/s");
Console.WriteLine($"insert a task (12 indexes, 1 event):    {taskInsertRate:F0} ops/s");
Console.WriteLine($"outbox clear (findAndModify):           {clearRate:F0} ops/s");
Console.WriteLine($"outbox clear (batched, {perCommand} per command):   {batchedRate:F0} clears/s");
if (standInPid > 0)
{
    Console.WriteLine($"stand-in CPU per operation (µs): insert {cpuPerOp[0]}, find {cpuPerOp[1]}, task insert {cpuPerOp[2]}, outbox clear {cpuPerOp[3]}, batched clear {cpuPerOp[4]}");
}
await client.DropDatabaseAsync(db.DatabaseNamespace.DatabaseName);
return 0;
