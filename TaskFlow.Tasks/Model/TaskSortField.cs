namespace TaskFlow.Tasks.Model;

/// <summary>The task field a list is sorted by.</summary>
public enum TaskSortField
{
    CreatedAt,
    DueDate,
    Priority,
}
