namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// Tasks in MongoDB. Every write is one single-document operation that also carries the change's pending events,
/// so a change and its events are stored atomically; updates compare-and-set on <c>version</c> in the same filter.
/// </summary>
public sealed class TaskRepository(IMongoDatabase database, [FromKeyedServices(TaskDocument.CollectionName)] MongoOutboxHandoff handoff)
{
    private static readonly ProjectionDefinition<TaskDocument> WithoutOutbox = Builders<TaskDocument>.Projection
        .Exclude(d => d.PendingEvents);

    public IMongoCollection<TaskDocument> Collection { get; } = database.GetCollection<TaskDocument>(TaskDocument.CollectionName);

    /// <summary>
    /// Inserts the task with its events, leased to this process's relay and handed to it in memory when the relay has
    /// room; otherwise written unleased, and the relay is woken to sweep it (<see cref="MongoOutboxHandoff.InsertAsync"/>).
    /// </summary>
    public Task InsertAsync(TaskItem task, IReadOnlyList<BsonDocument> pendingEvents, CancellationToken cancellationToken) =>
        handoff.InsertAsync(Collection, TaskDocument.From(task, pendingEvents), task.Id, pendingEvents, cancellationToken);

    public async Task<TaskItem?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var document = await Collection.Find(TaskQueries.ById(id)).Project<TaskDocument>(WithoutOutbox).FirstOrDefaultAsync(cancellationToken);
        return document?.ToItem();
    }

    /// <summary>The task if it is still at exactly this version (null once it moved on or was deleted).</summary>
    public async Task<TaskItem?> FindVersionAsync(string id, long version, CancellationToken cancellationToken)
    {
        var filter = Builders<TaskDocument>.Filter.And(TaskQueries.ById(id), Builders<TaskDocument>.Filter.Eq(d => d.Version, version));
        var document = await Collection.Find(filter).Project<TaskDocument>(WithoutOutbox).FirstOrDefaultAsync(cancellationToken);
        return document?.ToItem();
    }

    /// <summary>
    /// Writes <paramref name="updated"/> only if the stored task is still at <paramref name="expectedVersion"/>:
    /// the version is part of the update's filter, so of two concurrent writers exactly one succeeds.
    /// </summary>
    public async Task<bool> ReplaceAsync(TaskItem updated, long expectedVersion, IReadOnlyCollection<BsonDocument> pendingEvents, CancellationToken cancellationToken)
    {
        var filter = Builders<TaskDocument>.Filter;
        var update = Builders<TaskDocument>.Update
            .Set(d => d.Title, updated.Title)
            .Set(d => d.Description, updated.Description)
            .Set(d => d.Status, updated.Status.ToApiName())
            .Set(d => d.Priority, (int)updated.Priority)
            .Set(d => d.DueDate, updated.DueDate)
            .Set(d => d.AssigneeId, updated.AssigneeId)
            .Set(d => d.Tags, [.. updated.Tags])
            .Set(d => d.Participants, TaskDocument.ParticipantsOf(updated))
            .Set(d => d.UpdatedAt, updated.UpdatedAt)
            .Set(d => d.Version, updated.Version);
        if (pendingEvents.Count > 0)
        {
            update = update.PushEach(d => d.PendingEvents, pendingEvents);
        }

        var result = await Collection.UpdateOneAsync(
            filter.And(TaskQueries.ById(updated.Id), filter.Eq(d => d.Version, expectedVersion)),
            update,
            cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    /// <summary>
    /// Turns the task into a tombstone carrying its <c>task.deleted</c> event (compare-and-set on the version, like
    /// an update). Readers stop seeing it at once; the relay deletes it after publishing the event.
    /// </summary>
    public async Task<bool> MarkDeletedAsync(string id, long expectedVersion, DateTime deletedAt, IReadOnlyCollection<BsonDocument> pendingEvents, CancellationToken cancellationToken)
    {
        var filter = Builders<TaskDocument>.Filter;
        var update = Builders<TaskDocument>.Update.Set(d => d.DeletedAt, deletedAt);
        if (pendingEvents.Count > 0)
        {
            update = update.PushEach(d => d.PendingEvents, pendingEvents);
        }

        var result = await Collection.UpdateOneAsync(
            filter.And(TaskQueries.ById(id), filter.Eq(d => d.Version, expectedVersion)),
            update,
            cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    /// <summary>One page in (sort value, id) order, starting strictly after <paramref name="after"/>.</summary>
    public async Task<Page<TaskItem>> ListAsync(ListScope scope, TaskListQuery query, PageCursor? after, CancellationToken cancellationToken)
    {
        var limit = query.Paging.Limit;
        var documents = await Collection
            .Find(TaskQueries.ForList(scope, query, after))
            .Project<TaskDocument>(WithoutOutbox)
            .Sort(TaskQueries.SortFor(query.Sort))
            .Limit(limit + 1)
            .ToListAsync(cancellationToken);

        var items = documents.Take(limit).Select(d => d.ToItem()).ToList();
        string? next = null;
        if (documents.Count > limit)
        {
            var last = items[^1];
            next = new PageCursor(query.Sort.Key, query.Sort.ValueOf(last), last.Id, query.Fingerprint).Encode();
        }

        return new Page<TaskItem>(items, next);
    }
}
