namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// A task as stored in the <c>tasks</c> collection. Besides the API fields and its outbox it carries, once deleted,
/// the tombstone time <c>deletedAt</c>, kept until the messaging relay has published <c>task.deleted</c>.
/// Priority is stored as its rank so that sorting by it is semantic (low &lt; medium &lt; high &lt; urgent).
/// </summary>
public sealed class TaskDocument : OutboxDocument
{
    public const string CollectionName = "tasks";

    [BsonElement("ownerId")]
    public required string OwnerId { get; init; }

    [BsonElement("title")]
    public required string Title { get; init; }

    [BsonElement("description")]
    public string? Description { get; init; }

    [BsonElement("status")]
    public required string Status { get; init; }

    [BsonElement("priority")]
    public required int Priority { get; init; }

    [BsonElement("dueDate")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime? DueDate { get; init; }

    [BsonElement("assigneeId")]
    public string? AssigneeId { get; init; }

    [BsonElement("tags")]
    public required List<string> Tags { get; init; }

    /// <summary>
    /// Owner and assignee: who may see the task. A non-admin list is then one equality on this multikey field, which
    /// an index prefixed by it answers directly (no OR of an owner scan and an assignee scan).
    /// </summary>
    [BsonElement("participants")]
    public required List<string> Participants { get; init; }

    [BsonElement("createdAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public required DateTime CreatedAt { get; init; }

    [BsonElement("updatedAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public required DateTime UpdatedAt { get; init; }

    [BsonElement("version")]
    public required long Version { get; init; }

    [BsonElement("deletedAt")]
    [BsonIgnoreIfNull]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime? DeletedAt { get; init; }

    public static TaskDocument From(TaskItem task, IEnumerable<BsonDocument> pendingEvents) => new()
    {
        Id = task.Id,
        OwnerId = task.OwnerId,
        Title = task.Title,
        Description = task.Description,
        Status = task.Status.ToApiName(),
        Priority = (int)task.Priority,
        DueDate = task.DueDate,
        AssigneeId = task.AssigneeId,
        Tags = [.. task.Tags],
        Participants = ParticipantsOf(task),
        CreatedAt = task.CreatedAt,
        UpdatedAt = task.UpdatedAt,
        Version = task.Version,
        PendingEvents = [.. pendingEvents],
    };

    public static List<string> ParticipantsOf(TaskItem task) =>
        task.AssigneeId is { } assignee && assignee != task.OwnerId ? [task.OwnerId, assignee] : [task.OwnerId];

    public TaskItem ToItem() => new()
    {
        Id = Id,
        OwnerId = OwnerId,
        Title = Title,
        Description = Description,
        // A status written by a newer version of the service is shown as todo rather than failing the read.
        Status = TaskEnumNames.Statuses.GetValueOrDefault(Status, TaskItemStatus.Todo),
        Priority = Enum.IsDefined((TaskPriority)Priority) ? (TaskPriority)Priority : TaskPriority.Medium,
        DueDate = DueDate,
        AssigneeId = AssigneeId,
        Tags = Tags,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        Version = Version,
    };
}
