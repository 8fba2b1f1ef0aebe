namespace TaskFlow.Messaging.Contracts;

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
