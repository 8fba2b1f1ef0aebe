namespace TaskFlow.Graph.Model;

/// <summary>The <c>Comment</c> of API.md.</summary>
public sealed record CommentView(string Id, string TaskId, string AuthorId, string Body, DateTime CreatedAt);
