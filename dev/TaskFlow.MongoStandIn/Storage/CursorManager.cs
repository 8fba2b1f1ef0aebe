namespace TaskFlow.MongoStandIn.Storage;

/// <summary>Open cursors; results are materialized when the cursor is created and served in batches.</summary>
internal sealed class CursorManager : IDisposable
{
    public const int MaxBatchBytes = 16 * 1024 * 1024 - 16 * 1024;

    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<long, CursorState> _cursors = new();
    private readonly Timer _reaper;

    public CursorManager()
    {
        _reaper = new Timer(_ => Reap(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public int OpenCount => _cursors.Count;

    /// <summary>Takes the first batch; registers a cursor if documents remain. Returns the batch and the cursor id (0 when exhausted).</summary>
    public (BsonArray Batch, long CursorId) FirstBatch(string ns, List<BsonDocument> docs, int? batchSize, bool singleBatch)
    {
        var batch = Take(docs, 0, batchSize ?? 101, out var next);
        if (next >= docs.Count || singleBatch)
        {
            return (batch, 0);
        }

        long id;
        do
        {
            id = Random.Shared.NextInt64(1, long.MaxValue);
        }
        while (!_cursors.TryAdd(id, new CursorState(id, ns, docs, next)));

        return (batch, id);
    }

    public (BsonArray Batch, long CursorId, string Ns) GetMore(long id, string ns, int? batchSize)
    {
        if (!_cursors.TryGetValue(id, out var cursor))
        {
            throw new CommandError(ErrorCodes.CursorNotFound, $"cursor id {id} not found");
        }

        if (cursor.Ns != ns)
        {
            throw new CommandError(ErrorCodes.Unauthorized, $"Requested getMore on namespace '{ns}', but cursor belongs to a different namespace {cursor.Ns}");
        }

        lock (cursor.Sync)
        {
            var batch = Take(cursor.Docs, cursor.Position, batchSize ?? int.MaxValue, out var next);
            cursor.Position = next;
            cursor.LastUsed = DateTime.UtcNow;
            if (next >= cursor.Docs.Count)
            {
                _cursors.TryRemove(id, out _);
                return (batch, 0, cursor.Ns);
            }

            return (batch, id, cursor.Ns);
        }
    }

    public bool Kill(long id) => _cursors.TryRemove(id, out _);

    public void KillNamespace(string ns)
    {
        foreach (var c in _cursors.Values)
        {
            if (c.Ns == ns)
            {
                _cursors.TryRemove(c.Id, out _);
            }
        }
    }

    private static BsonArray Take(List<BsonDocument> docs, int start, int batchSize, out int next)
    {
        var batch = new BsonArray();
        long bytes = 0;
        var i = start;
        while (i < docs.Count && batch.Count < batchSize)
        {
            var size = docs[i].ToBson().Length;
            if (batch.Count > 0 && bytes + size > MaxBatchBytes)
            {
                break;
            }

            bytes += size;
            batch.Add(docs[i]);
            i++;
        }

        next = i;
        return batch;
    }

    private void Reap()
    {
        var cutoff = DateTime.UtcNow - IdleTimeout;
        foreach (var c in _cursors.Values)
        {
            if (c.LastUsed < cutoff)
            {
                _cursors.TryRemove(c.Id, out _);
            }
        }
    }

    public void Dispose() => _reaper.Dispose();
}
