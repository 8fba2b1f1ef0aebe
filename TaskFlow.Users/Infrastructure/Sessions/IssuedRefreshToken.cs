namespace TaskFlow.Users.Infrastructure.Sessions;

/// <summary>A refresh token handed to the client once; only its SHA-256 is stored.</summary>
public sealed record IssuedRefreshToken(string Token, string SessionId, DateTimeOffset ExpiresAt);
