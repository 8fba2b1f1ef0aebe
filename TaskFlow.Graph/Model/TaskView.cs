namespace TaskFlow.Graph.Model;

/// <summary>The <c>Task</c> of API.md.</summary>
public sealed record TaskView(
    string Id,
    string OwnerId,
    string Title,
    string? Description,
    string Status,
    string Priority,
    DateTime? DueDate,
    string? AssigneeId,
    IReadOnlyList<string> Tags,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);
