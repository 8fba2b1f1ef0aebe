using System.ComponentModel;

namespace TaskFlow.Tasks.Model;

/// <summary>
/// A task as the API shows it (the <c>Task</c> of API.md). Immutable: an edit produces the next version, which is
/// what lets a cache keep versions side by side without ever serving an old one as current.
/// </summary>
[ImmutableObject(true)]
public sealed record TaskItem
{
    public required string Id { get; init; }

    public required string OwnerId { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public required TaskItemStatus Status { get; init; }

    public required TaskPriority Priority { get; init; }

    public DateTime? DueDate { get; init; }

    public string? AssigneeId { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    public required long Version { get; init; }

    /// <summary>Ids are UUIDs; anything else cannot name a task, so it is not found without a database round trip.</summary>
    public static bool IsId(string id) => id.Length == 36 && Guid.TryParseExact(id, "D", out _);

    /// <summary>A new task: version 1 is its input applied to an empty version 0, as every later version is an input applied to the last.</summary>
    public static TaskItem Create(TaskInput input, string ownerId, DateTime now)
    {
        var empty = new TaskItem
        {
            // Version 7 ids sort by creation time, which keeps the (createdAt, id) paging key and index locality aligned.
            Id = Guid.CreateVersion7(now).ToString(),
            OwnerId = ownerId,
            Title = string.Empty,
            Status = TaskItemStatus.Todo,
            Priority = TaskPriority.Medium,
            Tags = [],
            CreatedAt = Timestamps.Truncate(now),
            UpdatedAt = Timestamps.Truncate(now),
            Version = 0,
        };
        return empty.Replace(input, now);
    }

    /// <summary>PUT semantics: every editable field comes from the input; identity, owner and creation stay.</summary>
    public TaskItem Replace(TaskInput input, DateTime now) => this with
    {
        Title = input.Title,
        Description = input.Description,
        Status = input.Status,
        Priority = input.Priority,
        DueDate = input.DueDate,
        AssigneeId = input.AssigneeId,
        Tags = input.Tags,
        UpdatedAt = Timestamps.Truncate(now),
        Version = Version + 1,
    };

    /// <summary>The fields visibility and concurrency decisions need.</summary>
    public TaskHead ToHead() => new(Id, OwnerId, AssigneeId, Version);
}
