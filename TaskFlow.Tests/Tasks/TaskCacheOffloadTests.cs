using MongoDB.Bson;
using MongoDB.Driver;
using StackExchange.Redis;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Tasks;

/// <summary>
/// The read path against the running system (two Tasks replicas): a warm read touches no MongoDB (counted by the
/// stand-in's own <c>standInStats</c>), and no replica ever answers with a version older than a write already answered,
/// also with two writers racing on one task.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TaskCacheOffloadTests(TaskFlowAppFixture fixture) : IDisposable
{
    private readonly TasksTestClient _direct = new(fixture, fixture.CreateClient("tasks"));

    public void Dispose() => _direct.Http.Dispose();

    [Fact]
    public async Task One_hundred_warm_reads_through_the_gateway_examine_no_document_in_MongoDB()
    {
        var owner = await _direct.NewUserAsync();
        using var gatewayClient = fixture.CreateGatewayClient();
        var gateway = new TasksTestClient(fixture, gatewayClient);
        var task = await gateway.CreateAsync(owner.AccessToken, new { title = "read me often", description = "cached" });
        var database = await TasksDatabaseAsync();
        await WaitUntilRelayedAsync(database, task.Id);

        // Warm both replicas (the gateway balances over them).
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(task.Version, (await gateway.GetAsync(owner.AccessToken, task.Id)).Version);
        }

        // Start the count with a freshly leased stamp: drop it, and let one read renew it from MongoDB.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis") ?? ""))
        {
            Assert.True(await redis.GetDatabase().KeyDeleteAsync(TaskVersionStamps.KeyFor(task.Id)));
        }

        Assert.Equal(task.Version, (await gateway.GetAsync(owner.AccessToken, task.Id)).Version);
        var before = await DocumentsExaminedAsync(database);
        var reads = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            var versions = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                var read = await gateway.GetAsync(owner.AccessToken, task.Id);
                Assert.Equal("read me often", read.Title);
                versions.Add(read.Version);
            }

            return versions;
        }));
        var after = await DocumentsExaminedAsync(database);

        Assert.Equal(100, reads.Sum(r => r.Count));
        Assert.All(reads.SelectMany(r => r), v => Assert.Equal(task.Version, v));
        Assert.Equal(before, after);

        // The probe does see MongoDB work: an update reads and writes the document.
        using var put = await gateway.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "changed" });
        await TasksTestClient.ExpectAsync(put, HttpStatusCode.OK);
        Assert.True(await DocumentsExaminedAsync(database) > after);
        Assert.Equal("changed", (await gateway.GetAsync(owner.AccessToken, task.Id)).Title);
    }

    [Fact]
    public async Task Racing_writers_never_see_an_older_version_than_their_own_last_write_on_any_replica()
    {
        var owner = await _direct.NewUserAsync();
        var task = await _direct.CreateAsync(owner.AccessToken, new { title = "raced" });
        using var gatewayClient = fixture.CreateGatewayClient();
        var gateway = new TasksTestClient(fixture, gatewayClient);
        var clients = new[] { _direct, gateway };

        var written = await Task.WhenAll(Enumerable.Range(0, 2).Select(async writer =>
        {
            var mine = new List<(long Version, string Title)>();
            for (var round = 0; round < 8; round++)
            {
                var title = $"writer {writer} round {round}";
                using var put = await clients[writer].SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title });
                await TasksTestClient.ExpectAsync(put, HttpStatusCode.OK);
                var version = (await TasksTestClient.ReadAsync<TasksTestClient.TaskDto>(put)).Version;
                mine.Add((version, title));

                // Read-your-writes on both replicas (direct client and gateway each balance over them).
                foreach (var reader in clients)
                {
                    for (var i = 0; i < 2; i++)
                    {
                        Assert.True((await reader.GetAsync(owner.AccessToken, task.Id)).Version >= version);
                    }
                }
            }

            return mine;
        }));

        var last = written.SelectMany(w => w).MaxBy(w => w.Version);
        Assert.Equal(17, last.Version);
        for (var i = 0; i < 10; i++)
        {
            var read = await clients[i % 2].GetAsync(owner.AccessToken, task.Id);
            Assert.Equal(last.Version, read.Version);
            Assert.Equal(last.Title, read.Title);
        }
    }

    [Fact]
    public async Task A_deleted_task_is_gone_on_every_replica_at_once()
    {
        var owner = await _direct.NewUserAsync();
        var task = await _direct.CreateAsync(owner.AccessToken, new { title = "short-lived" });
        for (var i = 0; i < 6; i++)
        {
            await _direct.GetAsync(owner.AccessToken, task.Id);
        }

        using (var delete = await _direct.SendAsync(HttpMethod.Delete, $"/tasks/{task.Id}", owner.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var gatewayClient = fixture.CreateGatewayClient();
        var gateway = new TasksTestClient(fixture, gatewayClient);
        for (var i = 0; i < 10; i++)
        {
            using var read = await (i % 2 == 0 ? _direct : gateway).SendAsync(HttpMethod.Get, $"/tasks/{task.Id}", owner.AccessToken);
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }
    }

    private async Task<IMongoDatabase> TasksDatabaseAsync()
    {
        var url = MongoUrl.Create(await fixture.GetConnectionStringAsync("tasksdb"));
        return new MongoClient(url).GetDatabase(url.DatabaseName ?? "tasksdb");
    }

    private static async Task<long> DocumentsExaminedAsync(IMongoDatabase database)
    {
        var stats = await database.RunCommandAsync<BsonDocument>(new BsonDocument("standInStats", "tasks"));
        var collection = Assert.Single(stats["collections"].AsBsonArray);
        return collection["docsExamined"].ToInt64();
    }

    /// <summary>The relay's claim and pull touch the document too; the counting starts once they are done.</summary>
    private static async Task WaitUntilRelayedAsync(IMongoDatabase database, string id)
    {
        var tasks = database.GetCollection<BsonDocument>("tasks");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var document = await tasks.Find(new BsonDocument("_id", id)).FirstAsync();
            var pending = document.GetValue("pendingEvents", new BsonArray()).AsBsonArray.Count;
            if (pending == 0 && !document.Contains("pendingEventsLease"))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the task's event was not relayed");
            await Task.Delay(100);
        }
    }
}
