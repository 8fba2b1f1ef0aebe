namespace TaskFlow.Tasks.Model;

/// <summary>
/// The editable fields of a task (API.md <c>TaskInput</c>), already validated and normalized: title trimmed,
/// defaults applied, tags trimmed and distinct, dates in UTC milliseconds, assignee id in canonical UUID form.
/// A request body is read into it by <c>Apis/Requests/TaskRequestBodies</c>; whether the assignee exists is checked
/// against the Users service afterwards, outside this pure type.
/// </summary>
public sealed record TaskInput
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 10_000;
    public const int MaxTags = 20;
    public const int TagMaxLength = 50;

    public required string Title { get; init; }

    public string? Description { get; init; }

    public TaskItemStatus Status { get; init; } = TaskItemStatus.Todo;

    public TaskPriority Priority { get; init; } = TaskPriority.Medium;

    public DateTime? DueDate { get; init; }

    public string? AssigneeId { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}
