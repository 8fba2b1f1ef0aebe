namespace TaskFlow.Tasks.Model;

/// <summary>One task's first page of comments in a <see cref="TaskCommentBatch"/>; <c>nextCursor</c> pages on with <c>GET /tasks/{id}/comments</c>.</summary>
public sealed record TaskCommentsPage(string TaskId, IReadOnlyList<TaskComment> Items, string? NextCursor);
