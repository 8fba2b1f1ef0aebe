using System.Net.Http.Headers;
using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Driver;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Tasks;

/// <summary>Cache coherence across the two Tasks replicas, Redis outages, and the event outbox.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TasksResilienceTests(TaskFlowAppFixture fixture) : IDisposable
{
    private readonly TasksTestClient _api = new(fixture, fixture.CreateClient("tasks"));

    public void Dispose() => _api.Http.Dispose();

    [Fact]
    public async Task A_read_after_a_write_never_returns_the_old_version_on_any_replica()
    {
        var owner = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "v1" });
        using var gatewayClient = fixture.CreateGatewayClient();
        var gateway = new TasksTestClient(fixture, gatewayClient);

        for (var version = 2; version <= 6; version++)
        {
            // Warm every replica's L1 and Redis with the current version (requests are spread over both replicas).
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(version - 1, (await _api.GetAsync(owner.AccessToken, task.Id)).Version);
            }

            var client = version % 2 == 0 ? _api : gateway;
            using var put = await client.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = $"v{version}" });
            await TasksTestClient.ExpectAsync(put, HttpStatusCode.OK);

            for (var i = 0; i < 20; i++)
            {
                var reader = i % 2 == 0 ? _api : gateway;
                var read = await reader.GetAsync(owner.AccessToken, task.Id);
                Assert.Equal(version, read.Version);
                Assert.Equal($"v{version}", read.Title);
            }
        }
    }

    [Fact]
    public async Task With_redis_down_reads_and_writes_work_and_health_is_degraded()
    {
        var owner = await _api.NewUserAsync();
        var task = await _api.CreateAsync(owner.AccessToken, new { title = "before outage" });
        await _api.GetAsync(owner.AccessToken, task.Id);

        await fixture.StopResourceAsync("redis");
        try
        {
            await WaitForHealthAsync("Degraded", TimeSpan.FromSeconds(30));

            var during = await _api.CreateAsync(owner.AccessToken, new { title = "during outage" });
            using var put = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "edited in outage" },
                r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\"")));
            await TasksTestClient.ExpectAsync(put, HttpStatusCode.OK);
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal("edited in outage", (await _api.GetAsync(owner.AccessToken, task.Id)).Title);
                Assert.Equal("during outage", (await _api.GetAsync(owner.AccessToken, during.Id)).Title);
            }

            Assert.Contains(await _api.ListAllAsync(owner.AccessToken, ""), t => t.Id == during.Id);
        }
        finally
        {
            await fixture.StartResourceAsync("redis");
        }

        await WaitForHealthAsync("Healthy", TimeSpan.FromSeconds(60));
        await WaitForEverythingHealthyAsync();
        using var after = await _api.SendAsync(HttpMethod.Put, $"/tasks/{task.Id}", owner.AccessToken, new { title = "after outage" });
        await TasksTestClient.ExpectAsync(after, HttpStatusCode.OK);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("after outage", (await _api.GetAsync(owner.AccessToken, task.Id)).Title);
        }
    }

    [Fact]
    public async Task Events_are_staged_atomically_with_each_change_and_relayed_once_the_broker_is_back()
    {
        var owner = await _api.NewUserAsync();
        var first = await _api.NewUserAsync();
        var second = await _api.NewUserAsync();
        var database = new MongoClient(await fixture.GetConnectionStringAsync("tasksdb")).GetDatabase(
            MongoUrl.Create(await fixture.GetConnectionStringAsync("tasksdb")).DatabaseName ?? "tasksdb");
        var tasks = database.GetCollection<BsonDocument>("tasks");
        var comments = database.GetCollection<BsonDocument>("comments");

        await fixture.StopResourceAsync("rabbitmq");
        string keptId, deletedId, commentId;
        try
        {
            var kept = await _api.CreateAsync(owner.AccessToken, new { title = "evented", assigneeId = first.Id });
            using (var put = await _api.SendAsync(HttpMethod.Put, $"/tasks/{kept.Id}", owner.AccessToken, new { title = "evented", assigneeId = second.Id }))
            {
                await TasksTestClient.ExpectAsync(put, HttpStatusCode.OK);
            }

            using (var comment = await _api.SendAsync(HttpMethod.Post, $"/tasks/{kept.Id}/comments", second.AccessToken, new { body = "on it" }))
            {
                await TasksTestClient.ExpectAsync(comment, HttpStatusCode.Created);
                commentId = (await TasksTestClient.ReadAsync<TasksTestClient.CommentDto>(comment)).Id;
            }

            var doomed = await _api.CreateAsync(owner.AccessToken, new { title = "doomed" });
            using (var delete = await _api.SendAsync(HttpMethod.Delete, $"/tasks/{doomed.Id}", owner.AccessToken))
            {
                Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            }

            keptId = kept.Id;
            deletedId = doomed.Id;

            Assert.Equal(["task.created", "task.updated", "task.assigned"], await PendingTypesAsync(tasks, keptId));
            Assert.Equal(["task.comment.added"], await PendingTypesAsync(comments, commentId));
            Assert.Equal(["task.created", "task.deleted"], await PendingTypesAsync(tasks, deletedId));

            var staged = (await tasks.Find(new BsonDocument("_id", keptId)).FirstAsync())["pendingEvents"].AsBsonArray;
            using var envelope = JsonDocument.Parse(staged[2]["envelope"].AsString);
            Assert.Equal("task.assigned", envelope.RootElement.GetProperty("type").GetString());
            Assert.Equal($"tasks/{keptId}", envelope.RootElement.GetProperty("subject").GetString());
            Assert.Equal(second.Id.ToString(), envelope.RootElement.GetProperty("data").GetProperty("assigneeId").GetString());
            Assert.Equal(first.Id.ToString(), envelope.RootElement.GetProperty("data").GetProperty("previousAssigneeId").GetString());
        }
        finally
        {
            await fixture.StartResourceAsync("rabbitmq");
        }

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var keptPending = await PendingTypesAsync(tasks, keptId);
            var commentPending = await PendingTypesAsync(comments, commentId);
            var tombstone = await tasks.Find(new BsonDocument("_id", deletedId)).FirstOrDefaultAsync();
            if (keptPending.Length == 0 && commentPending.Length == 0 && tombstone is null)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"events not relayed: task {string.Join(',', keptPending)}, comment {string.Join(',', commentPending)}, tombstone {(tombstone is null ? "gone" : "present")}");
            await Task.Delay(500);
        }

        await WaitForEverythingHealthyAsync();
        var keptDocument = await tasks.Find(new BsonDocument("_id", keptId)).FirstAsync();
        Assert.False(keptDocument.Contains("failedEvents"), keptDocument.GetValue("failedEvents", BsonNull.Value).ToString());
    }

    private static async Task<string[]> PendingTypesAsync(IMongoCollection<BsonDocument> collection, string id)
    {
        var document = await collection.Find(new BsonDocument("_id", id)).FirstOrDefaultAsync();
        return document is not null && document.TryGetValue("pendingEvents", out var pending) && pending.IsBsonArray
            ? pending.AsBsonArray.Select(e => e["type"].AsString).ToArray()
            : [];
    }

    /// <summary>Leaves the shared app as it found it: the restarted server and every service healthy again.</summary>
    private async Task WaitForEverythingHealthyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        foreach (var name in TaskFlowAppFixture.BackingNames.Concat(TaskFlowAppFixture.ServiceNames))
        {
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }
    }

    private async Task WaitForHealthAsync(string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var consecutive = 0;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _api.Http.GetAsync("/health");
            last = await response.Content.ReadAsStringAsync();
            using var report = JsonDocument.Parse(last);
            var status = report.RootElement.GetProperty("status").GetString();
            var redis = report.RootElement.GetProperty("entries").GetProperty("redis").GetProperty("status").GetString();
            // Several answers in a row, so that both replicas (behind the proxy) agree.
            consecutive = status == expected && redis == expected ? consecutive + 1 : 0;
            if (consecutive >= 4)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"/health did not become {expected}: {last}");
    }
}
