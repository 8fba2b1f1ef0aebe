namespace TaskFlow.Notifier.Model;

public static class NotificationTypes
{
    public const string TaskCreated = "task.created";
    public const string TaskAssigned = "task.assigned";
    public const string StatusChanged = "task.status_changed";
    public const string CommentAdded = "task.comment.added";
}
