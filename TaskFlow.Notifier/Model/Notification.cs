namespace TaskFlow.Notifier.Model;

/// <summary>One entry in a user's inbox.</summary>
public sealed class Notification
{
    public required Guid Id { get; init; }

    /// <summary>The recipient (the <c>sub</c> of their tokens).</summary>
    public required Guid UserId { get; init; }

    /// <summary>One of <see cref="NotificationTypes"/>.</summary>
    public required string Type { get; init; }

    public required Guid TaskId { get; init; }

    public required string Message { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>The event that caused it.</summary>
    public required Guid EventId { get; init; }

    /// <summary>
    /// Identifies the fact notified about across events: an update that reassigns a task is described by both
    /// <c>task.updated</c> and <c>task.assigned</c>; whichever arrives second finds the key taken and adds nothing.
    /// </summary>
    public string? DedupKey { get; init; }
}
