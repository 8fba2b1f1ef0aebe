using System.Net;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Unit;

namespace TaskFlow.Tests.Tasks;

/// <summary>
/// The assignee check's cache across replicas: two <see cref="UserDirectory"/> instances, each with its own memory
/// (L1), sharing one distributed cache (L2, counted), and Redis connected (the fixture's) so L2 is in use.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class UserDirectoryCacheTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task A_user_another_replica_found_is_read_from_the_shared_cache_once_then_from_memory()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("no redis"));
        Assert.True(redis.IsConnected);
        var shared = new CountingDistributedCache();
        var usersAsked = 0;
        var first = Replica(redis, shared, () => Interlocked.Increment(ref usersAsked));
        var second = Replica(redis, shared, () => Interlocked.Increment(ref usersAsked));
        var userId = Guid.NewGuid().ToString();

        Assert.Equal(UserLookup.Exists, await first.FindAsync(userId, null, CancellationToken.None));
        Assert.Equal(1, usersAsked);
        Assert.Equal(1, shared.Writes);

        // The other replica: the answer is in the shared cache, so Users is not asked, and Redis only once.
        var readsBefore = shared.Reads;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(UserLookup.Exists, await second.FindAsync(userId, null, CancellationToken.None));
        }

        Assert.Equal(1, usersAsked);
        Assert.Equal(1, shared.Reads - readsBefore);
        Assert.Equal(1, shared.Writes);

        // A user Users does not know is never remembered: asked again on every lookup.
        var unknown = Guid.NewGuid().ToString();
        var missing = Replica(redis, shared, () => Interlocked.Increment(ref usersAsked), HttpStatusCode.NotFound);
        Assert.Equal(UserLookup.NotFound, await missing.FindAsync(unknown, null, CancellationToken.None));
        Assert.Equal(UserLookup.NotFound, await missing.FindAsync(unknown, null, CancellationToken.None));
        Assert.Equal(3, usersAsked);
        Assert.Equal(1, shared.Writes);
    }

    private static UserDirectory Replica(IConnectionMultiplexer redis, IDistributedCache shared, Action asked, HttpStatusCode answer = HttpStatusCode.OK)
    {
        var services = new ServiceCollection();
        services.AddSingleton(shared);
        services.AddHybridCache();
        var cache = services.BuildServiceProvider().GetRequiredService<HybridCache>();
        var http = new HttpClient(new StubHttpHandler(_ =>
        {
            asked();
            return new HttpResponseMessage(answer);
        }))
        { BaseAddress = new Uri("http://users/") };
        return new UserDirectory(http, cache, redis, Options.Create(new TaskCacheOptions()), NullLogger<UserDirectory>.Instance);
    }

    /// <summary>An in-memory distributed cache that counts the reads and writes reaching it.</summary>
    private sealed class CountingDistributedCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));
        private int _reads;
        private int _writes;

        public int Reads => Volatile.Read(ref _reads);

        public int Writes => Volatile.Read(ref _writes);

        public byte[]? Get(string key)
        {
            Interlocked.Increment(ref _reads);
            return _inner.Get(key);
        }

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        {
            Interlocked.Increment(ref _reads);
            return _inner.GetAsync(key, token);
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            Interlocked.Increment(ref _writes);
            _inner.Set(key, value, options);
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Interlocked.Increment(ref _writes);
            return _inner.SetAsync(key, value, options, token);
        }

        public void Refresh(string key) => _inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

        public void Remove(string key) => _inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);
    }
}
