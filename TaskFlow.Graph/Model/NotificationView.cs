namespace TaskFlow.Graph.Model;

/// <summary>The <c>Notification</c> of API.md.</summary>
public sealed record NotificationView(string Id, string Type, string TaskId, string Message, DateTime CreatedAt, DateTime? ReadAt);
