namespace TaskFlow.Messaging.Contracts;

/// <summary><c>user.registered</c>: a user account was created. Roles are <c>user</c> and/or <c>admin</c>.</summary>
public sealed record UserRegistered(
    Guid UserId,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    DateTimeOffset OccurredAt) : IIntegrationEvent;
