namespace TaskFlow.Tasks.Infrastructure;

/// <summary>Comments in MongoDB, each inserted together with its <c>task.comment.added</c> event.</summary>
public sealed class CommentRepository(IMongoDatabase database, [FromKeyedServices(CommentDocument.CollectionName)] MongoOutboxHandoff handoff)
{
    public const string Sort = "createdAt";

    private static readonly ProjectionDefinition<CommentDocument> WithoutOutbox = Builders<CommentDocument>.Projection
        .Exclude(d => d.PendingEvents);

    public IMongoCollection<CommentDocument> Collection { get; } = database.GetCollection<CommentDocument>(CommentDocument.CollectionName);

    public static string FingerprintFor(string taskId) => PageCursor.FingerprintOf("comments", taskId);

    /// <summary>Inserts the comment with its event, handed to the relay when it has room (see <see cref="TaskRepository.InsertAsync"/>).</summary>
    public Task InsertAsync(TaskComment comment, IReadOnlyList<BsonDocument> pendingEvents, CancellationToken cancellationToken) =>
        handoff.InsertAsync(Collection, CommentDocument.From(comment, pendingEvents), comment.Id, pendingEvents, cancellationToken);

    /// <summary>Oldest first, keyset on (createdAt, id).</summary>
    public async Task<Page<TaskComment>> ListAsync(string taskId, Paging paging, PageCursor? after, CancellationToken cancellationToken)
    {
        var filter = Builders<CommentDocument>.Filter;
        var where = filter.Eq(d => d.TaskId, taskId);
        if (after is not null)
        {
            var createdAt = Timestamps.FromUnixMilliseconds(after.Value ?? 0);
            where = filter.And(where, filter.Or(
                filter.Gt(d => d.CreatedAt, createdAt),
                filter.And(filter.Eq(d => d.CreatedAt, createdAt), filter.Gt(d => d.Id, after.Id))));
        }

        var documents = await Collection.Find(where)
            .Project<CommentDocument>(WithoutOutbox)
            .Sort(Builders<CommentDocument>.Sort.Ascending(d => d.CreatedAt).Ascending(d => d.Id))
            .Limit(paging.Limit + 1)
            .ToListAsync(cancellationToken);

        var items = documents.Take(paging.Limit).Select(d => d.ToComment()).ToList();
        string? next = null;
        if (documents.Count > paging.Limit)
        {
            var last = items[^1];
            next = new PageCursor(Sort, Timestamps.ToUnixMilliseconds(last.CreatedAt), last.Id, FingerprintFor(taskId)).Encode();
        }

        return new Page<TaskComment>(items, next);
    }

    /// <summary>
    /// Removes the comments of a deleted task whose events are already out; a comment whose event is still pending
    /// stays until a later delete sweep, so no <c>task.comment.added</c> is lost.
    /// </summary>
    public Task DeleteForTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        var filter = Builders<CommentDocument>.Filter;
        return Collection.DeleteManyAsync(
            filter.And(filter.Eq(d => d.TaskId, taskId), filter.Or(filter.Exists(d => d.PendingEvents, false), filter.Size(d => d.PendingEvents, 0))),
            cancellationToken);
    }
}
