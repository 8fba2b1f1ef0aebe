namespace TaskFlow.Messaging.Outbox.MongoDB;

/// <summary>The hand-off loop: publishes documents that writers inserted leased to this relay (see <see cref="MongoOutboxHandoff"/>).</summary>
internal sealed partial class MongoOutboxRelay
{
    private int _handedOff;

    /// <summary>Documents published from the hand-off (without find and claim), for tests.</summary>
    internal int HandedOff => Volatile.Read(ref _handedOff);

    private async Task RunHandoffAsync(CancellationToken stoppingToken)
    {
        var clears = RunClearsAsync(stoppingToken);
        try
        {
            await Parallel.ForEachAsync(
                handoff.Reader.ReadAllAsync(stoppingToken),
                new ParallelOptions { MaxDegreeOfParallelism = options.OutboxConcurrentDocuments, CancellationToken = stoppingToken },
                async (document, ct) =>
                {
                    try
                    {
                        await PublishHandedAsync(document, ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        // The document stays leased: the sweep publishes it once the lease expired (at-least-once).
                        LogHandoffFailed(logger, collectionName, ex);
                        OutboxRelaySignal.Notify();
                    }
                    finally
                    {
                        handoff.Release();
                    }
                });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await clears;
    }

    /// <summary>
    /// Publishes one handed document's events in order, then clears them and releases the lease: in a batched command
    /// when all were published (<see cref="ClearInBatchAsync"/>), else (or when the document changed meanwhile) with ONE
    /// findAndModify of its own, which also parks failed events and reports what remains.
    /// </summary>
    private async Task PublishHandedAsync(MongoOutboxHandoff.HandedDocument document, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter;
        var byId = filter.Eq("_id", document.Id);
        if (handoff.Paused)
        {
            // The broker is failing: give the document to the sweep and its back-off.
            await _collection.UpdateOneAsync(byId, Builders<BsonDocument>.Update.Unset(collectionOptions.LeaseField), cancellationToken: cancellationToken);
            OutboxRelaySignal.Notify();
            return;
        }

        var (published, failed, brokerFailed) = await PublishEventsAsync(document.Events, cancellationToken);
        if (!brokerFailed && failed.Count == 0 && published.Count > 0 && published.Count == document.Events.Count
            && await ClearInBatchAsync(document.Id, published))
        {
            Interlocked.Increment(ref _handedOff);
            return;
        }

        var removed = new BsonArray(published.Concat(failed.Select(f => f["id"])));
        var projection = Builders<BsonDocument>.Projection.Include(PendingEvent.FieldName + ".id");
        if (collectionOptions.TombstoneField is string tombstoneField)
        {
            projection = projection.Include(tombstoneField);
        }

        var after = await _collection.FindOneAndUpdateAsync(
            byId,
            ClearUpdate(removed, failed),
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After, Projection = projection },
            cancellationToken);
        Interlocked.Increment(ref _handedOff);
        if (brokerFailed)
        {
            handoff.Paused = true;
            OutboxRelaySignal.Notify();
            return;
        }

        var remaining = after is not null && after.TryGetValue(PendingEvent.FieldName, out var left) && left.IsBsonArray ? left.AsBsonArray.Count : 0;
        if (remaining > 0)
        {
            // Another write pushed events meanwhile (the lease kept the sweep away): let the sweep take them now.
            OutboxRelaySignal.Notify();
        }
        else if (after is not null && collectionOptions.TombstoneField is string tombstone && after.Contains(tombstone))
        {
            await _collection.DeleteOneAsync(
                filter.And(byId, filter.Exists(tombstone), filter.Size(PendingEvent.FieldName, 0)),
                cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MongoDB outbox hand-off for {Collection} failed; the sweep publishes the document after its lease")]
    private static partial void LogHandoffFailed(ILogger logger, string collection, Exception exception);
}
