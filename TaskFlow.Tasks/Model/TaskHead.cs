namespace TaskFlow.Tasks.Model;

/// <summary>The fields visibility and concurrency decisions need, without the task's text.</summary>
public sealed record TaskHead(string Id, string OwnerId, string? AssigneeId, long Version);
