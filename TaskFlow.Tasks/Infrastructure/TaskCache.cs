namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// The read path. The current version comes from the task's stamp in Redis (<see cref="TaskVersionStamps"/>), the
/// task at that version from HybridCache (L1 in process, L2 in Redis), keyed by id AND version: an entry for
/// <c>task:{id}:v{n}</c> can only ever hold version n, so entries never go stale and nothing is invalidated. A hit
/// costs one Redis GET (the stamp) and no MongoDB command. Without a stamp (Redis down, stamp expired, first read)
/// the task is read from MongoDB once, which also renews the stamp; a stamp whose version has moved on meanwhile
/// finds nothing at that version and falls back the same way. So a read returns the stamp's version or a newer one,
/// and the stamp is never older than the last answered write (see <see cref="TaskVersionStamps"/>).
/// When Redis is unreachable the L2 is skipped (L1 only) instead of waiting for Redis timeouts on every request.
/// </summary>
public sealed class TaskCache(
    HybridCache cache,
    IConnectionMultiplexer redis,
    TaskRepository repository,
    TaskVersionStamps stamps,
    IOptions<TaskCacheOptions> options)
{
    public static string KeyFor(string id, long version) => $"task:{id}:v{version}";

    /// <summary>The current task, or null when it does not exist (or is deleted).</summary>
    public async ValueTask<TaskItem?> GetCurrentAsync(string id, CancellationToken cancellationToken)
    {
        if (await stamps.GetAsync(id) is { } stamp)
        {
            if (stamp.Deleted)
            {
                return null;
            }

            if (await GetAsync(id, stamp.Version, cancellationToken) is { } cached)
            {
                return cached;
            }
        }

        var observedAt = stamps.Now();
        var current = await repository.FindAsync(id, cancellationToken);
        if (current is not null)
        {
            await stamps.TryRaiseAsync(id, current.Version, deleted: false, observedAt);
            await StoreAsync(current, cancellationToken);
        }

        return current;
    }

    /// <summary>
    /// After a committed create or update (<paramref name="observedAt"/>: just before the MongoDB write): raises the
    /// stamp and stores the new version, so the first read on any replica is a hit. When Redis did not take the stamp
    /// of a change to an existing task, answers only once older stamps have expired.
    /// </summary>
    public async ValueTask WrittenAsync(TaskItem task, long observedAt, CancellationToken cancellationToken)
    {
        var raised = await stamps.TryRaiseAsync(task.Id, task.Version, deleted: false, observedAt);
        await StoreAsync(task, cancellationToken);
        if (!raised && task.Version > 1)
        {
            await stamps.WaitOutLeaseAsync(cancellationToken);
        }
    }

    /// <summary>After a committed delete: the stamp says deleted at once, on every replica.</summary>
    public async ValueTask DeletedAsync(string id, long version, long observedAt, CancellationToken cancellationToken)
    {
        if (!await stamps.TryRaiseAsync(id, version, deleted: true, observedAt))
        {
            await stamps.WaitOutLeaseAsync(cancellationToken);
        }
    }

    /// <summary>The task at exactly this version, or null if it has moved on or was deleted since.</summary>
    private ValueTask<TaskItem?> GetAsync(string id, long version, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            KeyFor(id, version),
            (repository, id, version),
            static async (state, ct) => await state.repository.FindVersionAsync(state.id, state.version, ct),
            EntryOptions(),
            cancellationToken: cancellationToken);

    private ValueTask StoreAsync(TaskItem task, CancellationToken cancellationToken) =>
        cache.SetAsync(KeyFor(task.Id, task.Version), task, EntryOptions(), cancellationToken: cancellationToken);

    private HybridCacheEntryOptions EntryOptions() => new()
    {
        Expiration = options.Value.Expiration,
        LocalCacheExpiration = options.Value.LocalExpiration,
        Flags = redis.IsConnected ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableDistributedCache,
    };
}
