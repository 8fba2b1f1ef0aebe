namespace TaskFlow.Users.Infrastructure.Sessions;

public sealed record RefreshResult(RefreshOutcome Outcome, string? SessionId = null, Guid UserId = default, IssuedRefreshToken? Next = null);
