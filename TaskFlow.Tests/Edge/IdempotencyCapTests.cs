using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskFlow.ServiceDefaults.Idempotency;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Edge;

/// <summary>The per-caller cap of the idempotency store, on the run's real Redis through the product's own store.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class IdempotencyCapTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task A_caller_keeps_at_most_the_capped_number_of_records_and_the_oldest_are_dropped_first()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis") ?? "");
        var store = new IdempotencyStore(redis, Options.Create(new IdempotencyOptions { MaxKeysPerCaller = 3 }));
        var caller = "user:" + Guid.NewGuid();
        var keys = Enumerable.Range(0, 5).Select(i => IdempotencyRequest.StoreKey(caller, $"key-{i}")).ToList();
        foreach (var key in keys)
        {
            var begin = await store.BeginAsync(caller, key, "fingerprint", "owner");
            Assert.Equal(IdempotencyState.Acquired, begin.State);
            Assert.True(await store.CompleteAsync(key, "owner", new StoredResponse(201, new Dictionary<string, string>(), [1, 2, 3])));
        }

        Assert.Equal(3, await store.CountAsync(caller));
        var database = redis.GetDatabase();
        Assert.False(await database.KeyExistsAsync(keys[0]));
        Assert.False(await database.KeyExistsAsync(keys[1]));
        foreach (var kept in keys.Skip(2))
        {
            Assert.Equal(IdempotencyState.Completed, (await store.BeginAsync(caller, kept, "fingerprint", "other")).State);
        }

        // A record released (its request failed) leaves the index too.
        var failed = IdempotencyRequest.StoreKey(caller, "failed");
        Assert.Equal(IdempotencyState.Acquired, (await store.BeginAsync(caller, failed, "fingerprint", "owner")).State);
        await store.ReleaseAsync(caller, failed, "owner");
        Assert.Equal(2, await store.CountAsync(caller));
    }
}
