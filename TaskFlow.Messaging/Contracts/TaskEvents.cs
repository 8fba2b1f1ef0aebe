namespace TaskFlow.Messaging.Contracts;

// Task events. Status values are the API's (todo | in_progress | done); ids are UUIDs; Version is the task's
// version after the change, so a consumer can tell an old event from a new one. ActorId is who made the change.

/// <summary><c>task.created</c>: a task was created (with or without an assignee).</summary>
public sealed record TaskCreated(
    Guid TaskId,
    Guid OwnerId,
    Guid? AssigneeId,
    string Title,
    string Status,
    Guid ActorId,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>
/// <c>task.updated</c>: editable fields of a task changed. Carries the previous status and assignee so a consumer
/// can see what changed without keeping state.
/// </summary>
public sealed record TaskUpdated(
    Guid TaskId,
    Guid OwnerId,
    Guid? AssigneeId,
    Guid? PreviousAssigneeId,
    string Title,
    string Status,
    string PreviousStatus,
    Guid ActorId,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary>
/// <c>task.assigned</c>: the assignee of an existing task changed (published by an update, in addition to
/// <c>task.updated</c>, with the same <see cref="Version"/>). <see cref="AssigneeId"/> is null when unassigned.
/// A creation with an assignee is only a <c>task.created</c>.
/// </summary>
public sealed record TaskAssigned(
    Guid TaskId,
    Guid OwnerId,
    Guid? AssigneeId,
    Guid? PreviousAssigneeId,
    string Title,
    Guid ActorId,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary><c>task.deleted</c>: a task was deleted.</summary>
public sealed record TaskDeleted(
    Guid TaskId,
    Guid OwnerId,
    Guid? AssigneeId,
    string Title,
    Guid ActorId,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

/// <summary><c>task.comment.added</c>: a comment was added to a task. Excerpt is the first 200 characters of the body.</summary>
public sealed record TaskCommentAdded(
    Guid TaskId,
    Guid CommentId,
    Guid AuthorId,
    Guid OwnerId,
    Guid? AssigneeId,
    string Title,
    string Excerpt,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public const int MaxExcerptLength = 200;

    /// <summary>Cuts a comment body to the excerpt length the schema allows.</summary>
    public static string ExcerptOf(string body) =>
        body.Length <= MaxExcerptLength ? body : body[..MaxExcerptLength];
}
