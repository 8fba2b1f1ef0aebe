namespace TaskFlow.Messaging.Contracts;

/// <summary><c>user.updated</c>: a user's display name or roles changed; carries the state after the change.</summary>
public sealed record UserUpdated(
    Guid UserId,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
