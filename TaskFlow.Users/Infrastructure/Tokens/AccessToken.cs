namespace TaskFlow.Users.Infrastructure.Tokens;

/// <summary>A signed access token and when it stops being valid.</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt, TimeSpan Lifetime);
