namespace TaskFlow.Messaging.Contracts;

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
