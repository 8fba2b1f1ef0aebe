namespace TaskFlow.Messaging.Contracts;

/// <summary><c>task.comment.added</c>: a comment was added to a task. Excerpt is the first 200 characters of the body.</summary>
public sealed record TaskCommentAdded(
    Guid TaskId,
    Guid CommentId,
    Guid AuthorId,
    Guid OwnerId,
    Guid? AssigneeId,
    string Title,
    string Excerpt,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public const int MaxExcerptLength = 200;

    /// <summary>Cuts a comment body to the excerpt length the schema allows.</summary>
    public static string ExcerptOf(string body) =>
        body.Length <= MaxExcerptLength ? body : body[..MaxExcerptLength];
}
