namespace TaskFlow.Users.Infrastructure.Tokens;

/// <summary>Issues RS256 access tokens: sub, email, name, one role per role, sid, jti, iat_ms, iss, aud, iat, nbf, exp.</summary>
public sealed class AccessTokenIssuer(SigningKeyRing keys, IOptions<JwtValidationOptions> jwt, IOptions<TokenOptions> tokens, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessToken Issue(User user, string sessionId) =>
        Create(TokenSubject.From(user), sessionId, keys.SigningCredentials, jwt.Value.Issuer, jwt.Value.Audience, time.GetUtcNow(), tokens.Value.AccessTokenLifetime);

    /// <summary>The token-building rule on its own, so tests can mint tokens for any time and key.</summary>
    public static AccessToken Create(
        TokenSubject subject, string sessionId, SigningCredentials credentials, string issuer, string audience, DateTimeOffset now, TimeSpan lifetime)
    {
        // Whole seconds: JWT times are NumericDate, and exp must not round past the advertised expiresIn.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + lifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>
            {
                [TokenClaims.Subject] = subject.UserId.ToString(),
                [TokenClaims.Email] = subject.Email,
                [TokenClaims.Name] = subject.Name,
                [TokenClaims.Role] = subject.Roles.ToArray(),
                [TokenClaims.SessionId] = sessionId,
                [TokenClaims.TokenId] = Guid.NewGuid().ToString("N"),
                [TokenClaims.IssuedAtMilliseconds] = now.ToUnixTimeMilliseconds(),
            },
        };
        return new AccessToken(Handler.CreateToken(descriptor), expiresAt, lifetime);
    }
}
