namespace TaskFlow.Tasks.Model;

/// <summary>The API spelling of the enums: how requests name them, and how documents and events store them.</summary>
public static class TaskEnumNames
{
    public static readonly IReadOnlyDictionary<string, TaskItemStatus> Statuses = new Dictionary<string, TaskItemStatus>(StringComparer.Ordinal)
    {
        ["todo"] = TaskItemStatus.Todo,
        ["in_progress"] = TaskItemStatus.InProgress,
        ["done"] = TaskItemStatus.Done,
    };

    public static readonly IReadOnlyDictionary<string, TaskPriority> Priorities = new Dictionary<string, TaskPriority>(StringComparer.Ordinal)
    {
        ["low"] = TaskPriority.Low,
        ["medium"] = TaskPriority.Medium,
        ["high"] = TaskPriority.High,
        ["urgent"] = TaskPriority.Urgent,
    };

    public static string ToApiName(this TaskItemStatus status) => status switch
    {
        TaskItemStatus.Todo => "todo",
        TaskItemStatus.InProgress => "in_progress",
        TaskItemStatus.Done => "done",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToApiName(this TaskPriority priority) => priority switch
    {
        TaskPriority.Low => "low",
        TaskPriority.Medium => "medium",
        TaskPriority.High => "high",
        TaskPriority.Urgent => "urgent",
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, null),
    };
}
