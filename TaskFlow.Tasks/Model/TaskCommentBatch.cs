namespace TaskFlow.Tasks.Model;

/// <summary>The answer of <c>GET /tasks/comments/batch</c>: a page per visible task asked for, in the order asked.</summary>
public sealed record TaskCommentBatch(IReadOnlyList<TaskCommentsPage> Items);
