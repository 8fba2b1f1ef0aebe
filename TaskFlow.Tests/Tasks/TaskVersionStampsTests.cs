using TaskFlow.Messaging.Outbox.MongoDB;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Driver;
using StackExchange.Redis;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tasks.Model;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Tasks;

/// <summary>The rules that keep the read path from ever returning an old version: stamps only rise, and are leases.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TaskVersionStampsTests(TaskFlowAppFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_stamp_only_rises_whatever_order_the_writes_arrive_in_and_deleted_beats_every_version()
    {
        await using var redis = await ConnectAsync();
        var stamps = Stamps(redis, TimeProvider.System);
        var id = Guid.NewGuid().ToString();

        Assert.Null(await stamps.GetAsync(id));
        Assert.True(await stamps.TryRaiseAsync(id, 5, deleted: false, stamps.Now()));
        Assert.True(await stamps.TryRaiseAsync(id, 3, deleted: false, stamps.Now()));
        Assert.Equal(new TaskStamp(5, false), await stamps.GetAsync(id));

        // Deletion is final at the version it deleted; a late stamp of that or an older version cannot undo it.
        Assert.True(await stamps.TryRaiseAsync(id, 5, deleted: true, stamps.Now()));
        Assert.True(await stamps.TryRaiseAsync(id, 5, deleted: false, stamps.Now()));
        Assert.True(await stamps.TryRaiseAsync(id, 4, deleted: false, stamps.Now()));
        Assert.Equal(new TaskStamp(5, true), await stamps.GetAsync(id));
    }

    [Fact]
    public async Task A_stamp_expires_one_lease_after_the_read_that_produced_it_started()
    {
        await using var redis = await ConnectAsync();
        var time = new FakeTimeProvider();
        var stamps = Stamps(redis, time);
        var id = Guid.NewGuid().ToString();

        var observedAt = stamps.Now();
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.True(await stamps.TryRaiseAsync(id, 2, deleted: false, observedAt));
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(TaskVersionStamps.KeyFor(id));
        Assert.NotNull(ttl);
        Assert.True(ttl <= TimeSpan.FromSeconds(3), $"lease {ttl} runs past the read's start + {Lease}");

        // A read that started a whole lease ago proves nothing any more: it sets no stamp.
        var stale = stamps.Now();
        time.Advance(Lease);
        Assert.False(await stamps.TryRaiseAsync(Guid.NewGuid().ToString(), 2, deleted: false, stale));
    }

    [Fact]
    public async Task Without_Redis_a_changed_task_is_answered_only_after_the_lease_and_a_new_one_at_once()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200,connectRetry=0");
        Assert.False(redis.IsConnected);
        var time = new FakeTimeProvider();
        var stamps = Stamps(redis, time);
        var options = Options.Create(new TaskCacheOptions { StampLease = Lease });
        var hybrid = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider().GetRequiredService<HybridCache>();
        var repository = new TaskRepository(new MongoClient("mongodb://127.0.0.1:1").GetDatabase("unused"), new MongoOutboxHandoff(new MongoOutboxOptions()));
        var cache = new TaskCache(hybrid, redis, repository, stamps, options);
        var created = TaskItem.Create(new TaskInput { Title = "t" }, Guid.NewGuid().ToString(), DateTime.UtcNow);

        // A new task: no stamp can name an older version, so nothing to wait for.
        await cache.WrittenAsync(created, stamps.Now(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        var updated = created.Replace(new TaskInput { Title = "t2" }, DateTime.UtcNow);
        var answered = cache.WrittenAsync(updated, stamps.Now(), CancellationToken.None).AsTask();
        await Task.WhenAny(answered, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(answered.IsCompleted);
        time.Advance(Lease);
        await Task.WhenAny(answered, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(answered.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await answered.WaitAsync(TimeSpan.FromSeconds(30));

        var deleted = cache.DeletedAsync(updated.Id, updated.Version, stamps.Now(), CancellationToken.None).AsTask();
        await Task.WhenAny(deleted, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(deleted.IsCompleted);
        time.Advance(Lease + TimeSpan.FromSeconds(1));
        await deleted.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("no redis"));

    private static TaskVersionStamps Stamps(IConnectionMultiplexer redis, TimeProvider time) =>
        new(redis, Options.Create(new TaskCacheOptions { StampLease = Lease }), time, NullLogger<TaskVersionStamps>.Instance);
}
