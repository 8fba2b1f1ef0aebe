using System.Collections.Concurrent;
using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

/// <summary>Restarts and kills the stand-in itself, so these run only without TASKFLOW_TEST_MONGODB.</summary>
[Trait("Category", "Unit")]
public sealed class DurabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mongostandin-durability-" + Guid.NewGuid().ToString("N"));

    private static BsonDocument D(string json) => BsonDocument.Parse(json);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<(MongoStandInServer Server, IMongoClient Client)> StartAsync()
    {
        var server = await MongoStandInServer.StartAsync(new MongoStandInOptions { DataDirectory = _dir });
        return (server, MongoFixture.CreateClient(server.ConnectionString));
    }

    [Fact]
    public async Task Writes_survive_a_restart_on_the_same_data_directory()
    {
        var (server, client) = await StartAsync();
        await using (server)
        {
            using (client)
            {
                var c = client.GetDatabase("app").GetCollection<BsonDocument>("tasks");
                await c.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(D("{code: 1}"), new CreateIndexOptions { Unique = true }));
                await c.InsertManyAsync(Enumerable.Range(0, 100).Select(i => new BsonDocument { { "_id", i }, { "code", "c" + i }, { "n", 0 } }));
                await c.UpdateManyAsync(D("{_id: {$lt: 10}}"), D("{$inc: {n: 5}}"));
                await c.DeleteManyAsync(D("{_id: {$gte: 90}}"));
                await client.GetDatabase("app").GetCollection<BsonDocument>("gone").InsertOneAsync(D("{x: 1}"));
                await client.GetDatabase("app").DropCollectionAsync("gone");
                await client.GetDatabase("other").GetCollection<BsonDocument>("c").InsertOneAsync(D("{_id: 'keep'}"));
            }
        }

        (server, client) = await StartAsync();
        await using (server)
        {
            using (client)
            {
                var c = client.GetDatabase("app").GetCollection<BsonDocument>("tasks");
                Assert.Equal(90, await c.CountDocumentsAsync(D("{}")));
                Assert.Equal(5, (await c.Find(D("{_id: 3}")).SingleAsync())["n"].ToInt32());
                Assert.Equal(0, (await c.Find(D("{_id: 30}")).SingleAsync())["n"].ToInt32());
                Assert.Equal(["app", "other"], (await (await client.ListDatabaseNamesAsync()).ToListAsync()).Where(n => n is "app" or "other").Order());
                Assert.Equal(["tasks"], await (await client.GetDatabase("app").ListCollectionNamesAsync()).ToListAsync());
                var dup = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{code: 'c5'}")));
                Assert.Equal(11000, dup.WriteError.Code);
                await c.InsertOneAsync(D("{_id: 500, code: 'new'}"));
            }
        }

        (server, client) = await StartAsync();
        await using (server)
        {
            using (client)
            {
                Assert.Equal(91, await client.GetDatabase("app").GetCollection<BsonDocument>("tasks").CountDocumentsAsync(D("{}")));
            }
        }
    }

    [Fact]
    public async Task A_torn_journal_tail_is_truncated_on_start()
    {
        var (server, client) = await StartAsync();
        await using (server)
        {
            using (client)
            {
                await client.GetDatabase("app").GetCollection<BsonDocument>("c").InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)));
            }
        }

        var journal = Path.Combine(_dir, "journal.bin");
        var intactLength = new FileInfo(journal).Length;
        await using (var fs = new FileStream(journal, FileMode.Append))
        {
            // a record header announcing 200 bytes followed by only a few: what a kill -9 mid-write leaves
            fs.Write([200, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9]);
        }

        (server, client) = await StartAsync();
        await using (server)
        {
            using (client)
            {
                var c = client.GetDatabase("app").GetCollection<BsonDocument>("c");
                Assert.Equal(10, await c.CountDocumentsAsync(D("{}")));
                await c.InsertOneAsync(D("{_id: 10}"));
            }
        }

        Assert.True(new FileInfo(journal).Length > intactLength);
        (server, client) = await StartAsync();
        await using (server)
        {
            using (client)
            {
                Assert.Equal(11, await client.GetDatabase("app").GetCollection<BsonDocument>("c").CountDocumentsAsync(D("{}")));
            }
        }
    }

    [Fact]
    public async Task In_memory_mode_keeps_nothing()
    {
        await using var server = await MongoStandInServer.StartAsync(new MongoStandInOptions());
        using var client = MongoFixture.CreateClient(server.ConnectionString);
        await client.GetDatabase("m").GetCollection<BsonDocument>("c").InsertOneAsync(D("{a: 1}"));
        Assert.Equal(1, await client.GetDatabase("m").GetCollection<BsonDocument>("c").CountDocumentsAsync(D("{}")));
    }

    [Fact]
    public async Task Acknowledged_writes_survive_kill_minus_9_of_the_process()
    {
        using (var first = await ChildServer.StartAsync(_dir))
        {
            using var client = MongoFixture.CreateClient($"mongodb://127.0.0.1:{first.Port}/?directConnection=true");
            var c = client.GetDatabase("app").GetCollection<BsonDocument>("events");
            var acknowledged = new ConcurrentBag<int>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var id = (w * 100_000) + i;
                    try
                    {
                        await c.InsertOneAsync(new BsonDocument { { "_id", id }, { "w", w } });
                        acknowledged.Add(id);
                        if (i % 5 == 0)
                        {
                            await c.UpdateOneAsync(new BsonDocument("_id", id), D("{$set: {updated: true}}"));
                        }
                    }
                    catch (Exception e) when (e is MongoException or TimeoutException or IOException)
                    {
                        return;
                    }
                }
            })).ToList();

            while (acknowledged.Count < 300)
            {
                await Task.Delay(20);
            }

            first.Kill(); // SIGKILL while writes are in flight
            stop.Cancel();
            await Task.WhenAll(writers);

            using var second = await ChildServer.StartAsync(_dir);
            using var client2 = MongoFixture.CreateClient($"mongodb://127.0.0.1:{second.Port}/?directConnection=true");
            var stored = (await client2.GetDatabase("app").GetCollection<BsonDocument>("events").Find(D("{}")).ToListAsync())
                .ToDictionary(d => d["_id"].ToInt32());
            var missing = acknowledged.Where(id => !stored.ContainsKey(id)).OrderBy(id => id).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged writes lost (stored {stored.Count}): {string.Join(", ", missing.Take(20))}\nfirst run log:\n{first.Log}\nsecond run log:\n{second.Log}");
            Assert.True(stored.Count >= acknowledged.Count);
            await client2.GetDatabase("app").GetCollection<BsonDocument>("events").InsertOneAsync(D("{_id: -1}"));
        }
    }

    /// <summary>The stand-in started as a separate process: <c>dotnet TaskFlow.MongoStandIn.dll --port 0 --data dir</c>.</summary>
    private sealed class ChildServer : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _log;

        private ChildServer(Process process, int port, System.Text.StringBuilder log)
        {
            _process = process;
            Port = port;
            _log = log;
        }

        public int Port { get; }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static async Task<ChildServer> StartAsync(string dataDir)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "TaskFlow.MongoStandIn.dll");
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(dll);
            psi.ArgumentList.Add("--port");
            psi.ArgumentList.Add("0");
            psi.ArgumentList.Add("--data");
            psi.ArgumentList.Add(dataDir);
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the stand-in");
            var log = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("stand-in exited before listening");
                const string prefix = "MongoStandIn listening on 127.0.0.1:";
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return new ChildServer(process, int.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture), log);
                }
            }
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }
    }
}
