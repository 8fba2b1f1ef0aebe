namespace TaskFlow.Graph.Model;

/// <summary>The answer of <c>GET /tasks/comments/batch</c>: the first page of comments of each visible task asked for.</summary>
public sealed record CommentBatch(IReadOnlyList<TaskCommentsPage> Items);
