namespace TaskFlow.Tasks.Infrastructure;

/// <summary>A comment in the <c>comments</c> collection, with its own outbox for <c>task.comment.added</c>.</summary>
public sealed class CommentDocument : OutboxDocument
{
    public const string CollectionName = "comments";

    [BsonElement("taskId")]
    public required string TaskId { get; init; }

    [BsonElement("authorId")]
    public required string AuthorId { get; init; }

    [BsonElement("body")]
    public required string Body { get; init; }

    [BsonElement("createdAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public required DateTime CreatedAt { get; init; }

    public static CommentDocument From(TaskComment comment, IEnumerable<BsonDocument> pendingEvents) => new()
    {
        Id = comment.Id,
        TaskId = comment.TaskId,
        AuthorId = comment.AuthorId,
        Body = comment.Body,
        CreatedAt = comment.CreatedAt,
        PendingEvents = [.. pendingEvents],
    };

    public TaskComment ToComment() => new(Id, TaskId, AuthorId, Body, CreatedAt);
}
