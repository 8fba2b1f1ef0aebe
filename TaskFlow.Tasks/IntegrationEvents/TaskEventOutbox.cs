using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Outbox;

namespace TaskFlow.Tasks.IntegrationEvents;

/// <summary>
/// Builds the pending events a change writes into its own document (the messaging library's MongoDB outbox):
/// creating publishes <c>task.created</c> only; updating publishes <c>task.updated</c> and, when the assignee
/// changed, <c>task.assigned</c> with the same version; deleting publishes <c>task.deleted</c>; commenting publishes
/// <c>task.comment.added</c> from the comment's own document. The library's relay publishes and <c>$pull</c>s them.
/// </summary>
public sealed class TaskEventOutbox
{
    public IReadOnlyList<BsonDocument> Created(TaskItem task, string actorId) =>
    [
        Stage(new TaskCreated(Guid.Parse(task.Id), Guid.Parse(task.OwnerId), ToGuid(task.AssigneeId), task.Title,
            task.Status.ToApiName(), Guid.Parse(actorId), task.Version, At(task.CreatedAt)), task.Id),
    ];

    public IReadOnlyList<BsonDocument> Updated(TaskItem before, TaskItem after, string actorId)
    {
        var events = new List<BsonDocument>
        {
            Stage(new TaskUpdated(Guid.Parse(after.Id), Guid.Parse(after.OwnerId), ToGuid(after.AssigneeId), ToGuid(before.AssigneeId),
                after.Title, after.Status.ToApiName(), before.Status.ToApiName(), Guid.Parse(actorId), after.Version, At(after.UpdatedAt)), after.Id),
        };
        if (!string.Equals(before.AssigneeId, after.AssigneeId, StringComparison.Ordinal))
        {
            events.Add(Stage(new TaskAssigned(Guid.Parse(after.Id), Guid.Parse(after.OwnerId), ToGuid(after.AssigneeId), ToGuid(before.AssigneeId),
                after.Title, Guid.Parse(actorId), after.Version, At(after.UpdatedAt)), after.Id));
        }

        return events;
    }

    public IReadOnlyList<BsonDocument> Deleted(TaskItem task, string actorId, DateTime deletedAt) =>
    [
        Stage(new TaskDeleted(Guid.Parse(task.Id), Guid.Parse(task.OwnerId), ToGuid(task.AssigneeId), task.Title,
            Guid.Parse(actorId), task.Version, At(deletedAt)), task.Id),
    ];

    public IReadOnlyList<BsonDocument> CommentAdded(TaskItem task, TaskComment comment) =>
    [
        Stage(new TaskCommentAdded(Guid.Parse(task.Id), Guid.Parse(comment.Id), Guid.Parse(comment.AuthorId), Guid.Parse(task.OwnerId),
            ToGuid(task.AssigneeId), task.Title, TaskCommentAdded.ExcerptOf(comment.Body), At(comment.CreatedAt)), task.Id),
    ];

    /// <summary>Wakes this process's relays so events go out now rather than at their next poll.</summary>
    public void NotifyRelay() => OutboxRelaySignal.Notify();

    private static BsonDocument Stage<TEvent>(TEvent data, string taskId) where TEvent : class, IIntegrationEvent =>
        PendingEvent.Create(data, subject: $"tasks/{taskId}").ToBson();

    private static Guid? ToGuid(string? id) => id is null ? null : Guid.Parse(id);

    private static DateTimeOffset At(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
