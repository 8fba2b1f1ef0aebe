using System.Threading.Channels;

namespace TaskFlow.Messaging.Outbox.MongoDB;

/// <summary>
/// The hand-off's clears, batched: a handed document whose events were all published is cleared by one statement of a
/// shared <c>update</c> command (unordered), which carries every clear that arrived while the previous command was on the
/// wire. Each statement matches only a document still holding exactly the published events (same count, all of their
/// ids, no tombstone), so an event pushed meanwhile, or a delete, makes it match nothing: when a command matched fewer
/// documents than it had statements (or failed), every clear in it falls back to the one-document
/// <c>findAndModify</c> of <see cref="PublishHandedAsync"/>, which returns what remains and wakes the sweep for it.
/// A clear is idempotent (<c>$pull</c> of ids already gone, <c>$unset</c> of a lease already released), so the
/// fallback is correct for the statements that did match.
/// </summary>
internal sealed partial class MongoOutboxRelay
{
    /// <summary>At most this many clears in one command (each statement is a few hundred bytes).</summary>
    internal const int MaxClearsPerCommand = 128;

    private readonly Channel<PendingClear> _clears = Channel.CreateUnbounded<PendingClear>(new UnboundedChannelOptions { SingleReader = true });
    private int _clearCommands;

    /// <summary>Batched clear commands sent, for tests.</summary>
    internal int ClearCommands => Volatile.Read(ref _clearCommands);

    /// <summary>True when the document was cleared of exactly <paramref name="published"/>; false: clear it alone.</summary>
    private Task<bool> ClearInBatchAsync(BsonValue id, BsonArray published)
    {
        var clear = new PendingClear(id, published, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        return _clears.Writer.TryWrite(clear) ? clear.Done.Task : Task.FromResult(false);
    }

    private async Task RunClearsAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingClear>(MaxClearsPerCommand);
        try
        {
            while (await _clears.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxClearsPerCommand && _clears.Reader.TryRead(out var clear))
                {
                    batch.Add(clear);
                }

                var cleared = false;
                try
                {
                    Interlocked.Increment(ref _clearCommands);
                    var result = await _collection.BulkWriteAsync(
                        batch.Select(ClearStatement), new BulkWriteOptions { IsOrdered = false }, stoppingToken);
                    cleared = result.MatchedCount == batch.Count;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Each document is cleared alone instead, and reports its own failure.
                    LogBatchedClearFailed(logger, collectionName, batch.Count, ex.GetType().Name);
                }

                foreach (var clear in batch)
                {
                    clear.Done.TrySetResult(cleared);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _clears.Writer.TryComplete();
            foreach (var clear in batch)
            {
                clear.Done.TrySetCanceled(stoppingToken);
            }

            while (_clears.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled(stoppingToken);
            }
        }
    }

    private UpdateOneModel<BsonDocument> ClearStatement(PendingClear clear)
    {
        var filter = Builders<BsonDocument>.Filter;
        var exactly = filter.And(
            filter.Eq("_id", clear.Id),
            filter.Size(PendingEvent.FieldName, clear.Published.Count),
            filter.All(PendingEvent.FieldName + ".id", clear.Published));
        if (collectionOptions.TombstoneField is string tombstone)
        {
            exactly = filter.And(exactly, filter.Exists(tombstone, false));
        }

        return new UpdateOneModel<BsonDocument>(exactly, ClearUpdate(clear.Published, []));
    }

    private readonly record struct PendingClear(BsonValue Id, BsonArray Published, TaskCompletionSource<bool> Done);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A batched outbox clear of {Count} document(s) in {Collection} failed ({Failure}); clearing them one by one")]
    private static partial void LogBatchedClearFailed(ILogger logger, string collection, int count, string failure);
}
