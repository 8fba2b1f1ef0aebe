namespace TaskFlow.Notifier.Model;

/// <summary>A notification as clients see it (API and live stream).</summary>
public sealed record NotificationView(Guid Id, string Type, Guid TaskId, string Message, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public static NotificationView From(Notification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new(n.Id, n.Type, n.TaskId, n.Message, n.CreatedAt, n.ReadAt);
    }
}
