namespace TaskFlow.Tasks.Model;

/// <summary>A comment on a task (the <c>Comment</c> of API.md).</summary>
/// <param name="Id">A UUIDv7 string, so ids sort by creation.</param>
/// <param name="TaskId">The task commented on.</param>
/// <param name="AuthorId">The <c>sub</c> of the author.</param>
/// <param name="Body">The text, 1 to <see cref="CommentInput.BodyMaxLength"/> characters.</param>
/// <param name="CreatedAt">UTC, truncated to milliseconds (what MongoDB stores).</param>
public sealed record TaskComment(string Id, string TaskId, string AuthorId, string Body, DateTime CreatedAt)
{
    public static TaskComment Create(string taskId, string authorId, string body, DateTime now) =>
        new(Guid.CreateVersion7(now).ToString(), taskId, authorId, body, Timestamps.Truncate(now));
}
