namespace TaskFlow.Messaging.Contracts;

/// <summary><c>task.deleted</c>: a task was deleted.</summary>
public sealed record TaskDeleted(
    Guid TaskId,
    Guid OwnerId,
    Guid? AssigneeId,
    string Title,
    Guid ActorId,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
