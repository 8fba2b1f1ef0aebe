namespace TaskFlow.Gateway.Revocation;

/// <summary>One revocation heard on the shared channel: a session, or a user's tokens issued before <see cref="UserStamp"/> (Unix ms).</summary>
public sealed record RevocationNotice(string? SessionId, string? UserId, long UserStamp)
{
    /// <summary>Whether this revocation covers a token of <paramref name="sessionId"/> and <paramref name="userId"/> issued at <paramref name="issuedAtMilliseconds"/>.</summary>
    public bool Covers(string? sessionId, string userId, long issuedAtMilliseconds) =>
        (SessionId is not null && string.Equals(SessionId, sessionId, StringComparison.Ordinal)) ||
        (UserId is not null && string.Equals(UserId, userId, StringComparison.Ordinal) && issuedAtMilliseconds < UserStamp);
}
