namespace TaskFlow.Tasks.Model;

/// <summary>A comment on a task (the <c>Comment</c> of API.md).</summary>
public sealed record TaskComment
{
    public required string Id { get; init; }

    public required string TaskId { get; init; }

    public required string AuthorId { get; init; }

    public required string Body { get; init; }

    public required DateTime CreatedAt { get; init; }

    public static TaskComment Create(string taskId, string authorId, string body, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(now).ToString(),
        TaskId = taskId,
        AuthorId = authorId,
        Body = body,
        CreatedAt = Timestamps.Truncate(now),
    };
}
