using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskFlow.Tasks.Model;

namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// Frequently read tasks in HybridCache (L1 in process, L2 in Redis), keyed by id AND version. An entry for
/// <c>task:{id}:v{n}</c> can only ever hold version n, so entries never go stale and nothing needs invalidating:
/// the reader first asks MongoDB for the current version (a point read of owner, assignee and version that
/// visibility needs anyway), then takes that version from the cache. After a write the next read, on any replica,
/// asks for the new version, which no cache holds yet or which the writer has just stored, never the old one.
/// What the cache saves is reading, deserializing and mapping the whole document (text, tags) on each GET.
/// When Redis is unreachable the L2 is skipped (L1 only) instead of waiting for Redis timeouts on every request.
/// </summary>
public sealed class TaskCache(HybridCache cache, IConnectionMultiplexer redis, TaskRepository repository, IOptions<TaskCacheOptions> options)
{
    public static string KeyFor(string id, long version) => $"task:{id}:v{version}";

    /// <summary>The task at exactly this version, or null if it has moved on or was deleted since the version was read.</summary>
    public ValueTask<TaskItem?> GetAsync(string id, long version, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            KeyFor(id, version),
            (repository, id, version),
            static async (state, ct) => await state.repository.FindVersionAsync(state.id, state.version, ct),
            EntryOptions(),
            cancellationToken: cancellationToken);

    /// <summary>Write-through after a successful write, so the first read of the new version is a hit.</summary>
    public ValueTask StoreAsync(TaskItem task, CancellationToken cancellationToken) =>
        cache.SetAsync(KeyFor(task.Id, task.Version), task, EntryOptions(), cancellationToken: cancellationToken);

    private HybridCacheEntryOptions EntryOptions() => new()
    {
        Expiration = options.Value.Expiration,
        LocalCacheExpiration = options.Value.LocalExpiration,
        Flags = redis.IsConnected ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableDistributedCache,
    };
}

public sealed class TaskCacheOptions
{
    public const string SectionName = "TaskCache";

    /// <summary>How long a version stays in Redis (L2).</summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a version stays in a replica's memory (L1).</summary>
    public TimeSpan LocalExpiration { get; set; } = TimeSpan.FromMinutes(1);
}
