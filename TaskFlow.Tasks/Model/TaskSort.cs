namespace TaskFlow.Tasks.Model;

/// <summary>One of the six sorts API.md allows; ties are broken by id in the same direction.</summary>
public sealed record TaskSort(string Key, TaskSortField Field, bool Descending)
{
    public static readonly TaskSort Default = new("-createdAt", TaskSortField.CreatedAt, Descending: true);

    public static readonly IReadOnlyDictionary<string, TaskSort> All = new[]
    {
        new TaskSort("createdAt", TaskSortField.CreatedAt, false),
        Default,
        new TaskSort("dueDate", TaskSortField.DueDate, false),
        new TaskSort("-dueDate", TaskSortField.DueDate, true),
        new TaskSort("priority", TaskSortField.Priority, false),
        new TaskSort("-priority", TaskSortField.Priority, true),
    }.ToDictionary(s => s.Key, StringComparer.Ordinal);

    /// <summary>The sort value of a task as a cursor stores it: Unix milliseconds for dates, the rank for priority.</summary>
    public long? ValueOf(TaskItem task) => Field switch
    {
        TaskSortField.CreatedAt => Timestamps.ToUnixMilliseconds(task.CreatedAt),
        TaskSortField.DueDate => task.DueDate is { } due ? Timestamps.ToUnixMilliseconds(due) : null,
        TaskSortField.Priority => (long)task.Priority,
        _ => throw new InvalidOperationException($"Unknown sort field {Field}."),
    };

    /// <summary>Only the due date may be absent; a cursor value must fit its field.</summary>
    public bool Accepts(long? value) => Field switch
    {
        TaskSortField.CreatedAt => value is >= 0 and <= MaxUnixMilliseconds,
        TaskSortField.DueDate => value is null or (>= MinUnixMilliseconds and <= MaxUnixMilliseconds),
        TaskSortField.Priority => value is >= (long)TaskPriority.Low and <= (long)TaskPriority.Urgent,
        _ => false,
    };

    private const long MinUnixMilliseconds = -62_135_596_800_000;
    private const long MaxUnixMilliseconds = 253_402_300_799_999;
}
