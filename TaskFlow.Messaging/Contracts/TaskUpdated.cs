namespace TaskFlow.Messaging.Contracts;

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
