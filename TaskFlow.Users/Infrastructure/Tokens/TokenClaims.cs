namespace TaskFlow.Users.Infrastructure.Tokens;

/// <summary>Names of the claims TaskFlow access tokens carry (JWT registered names, never mapped to .NET URIs).</summary>
public static class TokenClaims
{
    public const string Subject = JwtRegisteredClaimNames.Sub;
    public const string Email = JwtRegisteredClaimNames.Email;
    public const string Name = JwtRegisteredClaimNames.Name;
    public const string Role = "role";
    public const string SessionId = JwtRegisteredClaimNames.Sid;
    public const string TokenId = JwtRegisteredClaimNames.Jti;

    /// <summary>Issue time in Unix milliseconds: the gateway compares it with a user's revocation stamp.</summary>
    public const string IssuedAtMilliseconds = AccessTokenRevocations.IssuedAtMillisecondsClaim;
}
