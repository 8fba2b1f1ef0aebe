namespace TaskFlow.Messaging.Contracts;

/// <summary>CloudEvents <c>type</c> values, which are also the RabbitMQ routing keys.</summary>
public static class EventTypes
{
    public const string TaskCreated = "task.created";
    public const string TaskUpdated = "task.updated";
    public const string TaskAssigned = "task.assigned";
    public const string TaskDeleted = "task.deleted";
    public const string TaskCommentAdded = "task.comment.added";
    public const string UserRegistered = "user.registered";
    public const string UserUpdated = "user.updated";
}
