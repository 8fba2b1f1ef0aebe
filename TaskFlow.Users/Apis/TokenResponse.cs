namespace TaskFlow.Users.Apis;

/// <summary>Token pair for JSON clients.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);
