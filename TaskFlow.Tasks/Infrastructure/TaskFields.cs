namespace TaskFlow.Tasks.Infrastructure;

/// <summary>Element names, shared by mappings, filters and index definitions.</summary>
public static class TaskFields
{
    public const string Id = "_id";
    public const string OwnerId = "ownerId";
    public const string Title = "title";
    public const string Description = "description";
    public const string Status = "status";
    public const string Priority = "priority";
    public const string DueDate = "dueDate";
    public const string AssigneeId = "assigneeId";
    public const string Tags = "tags";
    public const string Participants = "participants";
    public const string CreatedAt = "createdAt";
    public const string UpdatedAt = "updatedAt";
    public const string Version = "version";
    public const string DeletedAt = "deletedAt";
    public const string PendingEvents = "pendingEvents";
}
