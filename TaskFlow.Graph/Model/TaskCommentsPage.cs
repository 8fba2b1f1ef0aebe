namespace TaskFlow.Graph.Model;

/// <summary>One task's first page of comments in a <see cref="CommentBatch"/>; <c>nextCursor</c> pages on with <c>GET /tasks/{id}/comments</c>.</summary>
public sealed record TaskCommentsPage(string TaskId, IReadOnlyList<CommentView> Items, string? NextCursor);
