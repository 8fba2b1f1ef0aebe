using Microsoft.Extensions.Hosting;

namespace TaskFlow.Messaging.Outbox.MongoDB;

/// <summary>
/// Publishes the <c>pendingEvents</c> of the documents of one collection. Finds documents with pending events through
/// an index on <c>pendingEvents.createdAt</c>, claims each with a short lease (an atomic update, so replicas rarely
/// publish the same event twice; consumers are idempotent anyway), publishes its events in order with confirms, then
/// <c>$pull</c>s exactly the published ids, so events pushed meanwhile stay. Schema-invalid events move to
/// <c>failedEvents</c> with the reason. A tombstone whose events are out is deleted. Documents a writer inserted
/// already leased and handed over (<see cref="MongoOutboxHandoff"/>) skip the find and the claim: the hand-off loop
/// publishes them and clears them with one update.
/// </summary>
internal sealed partial class MongoOutboxRelay(
    string collectionName,
    MongoOutboxOptions collectionOptions,
    IMongoDatabase database,
    IIntegrationEventPublisher publisher,
    MongoOutboxHandoff handoff,
    MessagingOptions options,
    OutboxRelayState state,
    ILogger<MongoOutboxRelay> logger) : BackgroundService
{
    public const string FailedEventsField = "failedEvents";
    private const string PendingCreatedAt = PendingEvent.FieldName + ".createdAt";

    private readonly IMongoCollection<BsonDocument> _collection = database.GetCollection<BsonDocument>(collectionName);
    private int _rounds;

    /// <summary>Completed rounds (sweeps and woken rounds), for tests.</summary>
    internal int Rounds => Volatile.Read(ref _rounds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var handoffLoop = RunHandoffAsync(stoppingToken);
        await RunSweepsAsync(stoppingToken);
        await handoffLoop;
    }

    private async Task RunSweepsAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var indexed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            OutboxRound round;
            var seen = OutboxRelaySignal.Generation;
            try
            {
                if (!indexed)
                {
                    await EnsureIndexAsync(stoppingToken);
                    indexed = true;
                }

                round = await RunOnceAsync(stoppingToken);
                Interlocked.Increment(ref _rounds);
                state.LastRoundAt = DateTimeOffset.UtcNow;
                state.LastRoundError = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                state.LastRoundError = ex.GetType().Name;
                LogRoundFailed(logger, collectionName, ex);
                round = new OutboxRound(0, BrokerFailed: true);
            }

            if (round.BrokerFailed)
            {
                handoff.Paused = true;
                failures++;
                await Task.Delay(OutboxPublishing.Backoff(failures, options), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            failures = 0;
            handoff.Paused = false;
            if (round.Documents < options.OutboxBatchSize)
            {
                await OutboxRelaySignal.WaitAsync(seen, options.OutboxPollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    internal Task EnsureIndexAsync(CancellationToken cancellationToken) =>
        _collection.Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(
                Builders<BsonDocument>.IndexKeys.Ascending(PendingCreatedAt),
                new CreateIndexOptions { Name = "ix_pendingEvents_createdAt" }),
            cancellationToken: cancellationToken);

    internal async Task<OutboxRound> RunOnceAsync(CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter;
        var now = DateTime.UtcNow;
        var unleased = filter.Or(filter.Exists(collectionOptions.LeaseField, false), filter.Lt(collectionOptions.LeaseField, now));
        var candidates = await _collection
            .Find(filter.And(filter.Gte(PendingCreatedAt, DateTime.MinValue), unleased))
            .Project(Builders<BsonDocument>.Projection.Include("_id"))
            .Limit(options.OutboxBatchSize)
            .ToListAsync(cancellationToken);

        // Documents are independent: publish several at once; each document's own events stay in order.
        var brokerFailed = 0;
        await Parallel.ForEachAsync(
            candidates,
            new ParallelOptions { MaxDegreeOfParallelism = options.OutboxConcurrentDocuments, CancellationToken = cancellationToken },
            async (candidate, ct) =>
            {
                if (Volatile.Read(ref brokerFailed) == 0 && await PublishDocumentAsync(candidate["_id"], now, unleased, ct))
                {
                    Interlocked.Exchange(ref brokerFailed, 1);
                }
            });
        return new OutboxRound(candidates.Count, BrokerFailed: brokerFailed == 1);
    }

    /// <summary>Claims one document, publishes its pending events in order; true when the broker failed.</summary>
    private async Task<bool> PublishDocumentAsync(BsonValue id, DateTime now, FilterDefinition<BsonDocument> unleased, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter;
        var claimed = await _collection.FindOneAndUpdateAsync(
            filter.And(filter.Eq("_id", id), unleased),
            Builders<BsonDocument>.Update.Set(collectionOptions.LeaseField, now + collectionOptions.LeaseDuration),
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After },
            cancellationToken);
        if (claimed is null || !claimed.TryGetValue(PendingEvent.FieldName, out var pendingValue) || !pendingValue.IsBsonArray)
        {
            return false;
        }

        var pending = pendingValue.AsBsonArray.OfType<BsonDocument>()
            .OrderBy(e => e.GetValue("createdAt", BsonNull.Value).IsBsonDateTime ? e["createdAt"].ToUniversalTime() : DateTime.MinValue)
            .ToList();
        var (published, failed, brokerFailed) = await PublishEventsAsync(pending, cancellationToken);

        var removed = new BsonArray(published.Concat(failed.Select(f => f["id"])));
        await _collection.UpdateOneAsync(filter.Eq("_id", id), ClearUpdate(removed, failed), cancellationToken: cancellationToken);

        // Only a document that was already a tombstone when claimed can be one now (deletion is final).
        if (collectionOptions.TombstoneField is string tombstone && removed.Count > 0 && claimed.Contains(tombstone))
        {
            await _collection.DeleteOneAsync(
                filter.And(filter.Eq("_id", id), filter.Exists(tombstone), filter.Size(PendingEvent.FieldName, 0)),
                cancellationToken);
        }

        return brokerFailed;
    }

    /// <summary>Publishes one document's events in order, stopping at the first the broker did not take.</summary>
    private async Task<(BsonArray Published, BsonArray Failed, bool BrokerFailed)> PublishEventsAsync(IReadOnlyList<BsonDocument> pending, CancellationToken cancellationToken)
    {
        var published = new BsonArray();
        var failed = new BsonArray();
        foreach (var pendingEvent in pending)
        {
            var eventId = pendingEvent.GetValue("id", BsonNull.Value);
            var envelope = pendingEvent.GetValue("envelope", BsonNull.Value);
            var result = envelope.IsString
                ? await OutboxPublishing.PublishStoredAsync(publisher, envelope.AsString, collectionName, cancellationToken)
                : new OutboxPublishResult(OutboxPublishOutcome.Failed, "Pending event has no envelope string.");
            if (result.Outcome == OutboxPublishOutcome.Published)
            {
                published.Add(eventId);
            }
            else if (result.Outcome == OutboxPublishOutcome.Failed)
            {
                LogEventInvalid(logger, eventId.ToString() ?? "", collectionName, result.Error ?? "");
                var parked = new BsonDocument(pendingEvent) { ["error"] = OutboxPublishing.Truncate(result.Error, 2000) };
                failed.Add(parked);
            }
            else
            {
                // Keep the order of this document's events: stop at the first that did not go out.
                state.LastPublishFailureAt = DateTimeOffset.UtcNow;
                state.LastPublishError = result.Error;
                LogPublishFailed(logger, eventId.ToString() ?? "", collectionName, result.Error ?? "");
                return (published, failed, true);
            }
        }

        return (published, failed, false);
    }

    /// <summary>Removes exactly the published and failed events, parks the failed ones and releases the lease.</summary>
    private UpdateDefinition<BsonDocument> ClearUpdate(BsonArray removed, BsonArray failed)
    {
        var update = Builders<BsonDocument>.Update.Unset(collectionOptions.LeaseField);
        if (removed.Count > 0)
        {
            update = update.PullFilter(PendingEvent.FieldName, Builders<BsonDocument>.Filter.In("id", removed));
        }

        if (failed.Count > 0)
        {
            update = update.PushEach(FailedEventsField, failed);
        }

        return update;
    }

    /// <summary>The oldest pending event's time, for the health check; null when nothing is pending.</summary>
    internal async Task<DateTime?> OldestPendingAsync(CancellationToken cancellationToken)
    {
        var oldest = await _collection
            .Find(Builders<BsonDocument>.Filter.Gte(PendingCreatedAt, DateTime.MinValue))
            .Sort(Builders<BsonDocument>.Sort.Ascending(PendingCreatedAt))
            .Project(Builders<BsonDocument>.Projection.Include(PendingCreatedAt))
            .Limit(1)
            .FirstOrDefaultAsync(cancellationToken);
        if (oldest is null || !oldest.TryGetValue(PendingEvent.FieldName, out var array) || !array.IsBsonArray)
        {
            return null;
        }

        return array.AsBsonArray.OfType<BsonDocument>()
            .Select(e => e.GetValue("createdAt", BsonNull.Value))
            .Where(v => v.IsBsonDateTime)
            .Select(v => (DateTime?)v.ToUniversalTime())
            .Min();
    }

    internal readonly record struct OutboxRound(int Documents, bool BrokerFailed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MongoDB outbox relay round for {Collection} failed; backing off")]
    private static partial void LogRoundFailed(ILogger logger, string collection, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pending event {EventId} in {Collection} is invalid and will not be published: {Reason}")]
    private static partial void LogEventInvalid(ILogger logger, string eventId, string collection, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing pending event {EventId} from {Collection} failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string eventId, string collection, string reason);
}
