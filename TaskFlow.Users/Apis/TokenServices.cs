namespace TaskFlow.Users.Apis;

/// <summary>What the session handlers need, bundled.</summary>
public sealed record TokenServices(
    UsersDbContext Db, PasswordHashing Passwords, RefreshTokenStore Sessions, AccessTokenIssuer Tokens, TimeProvider Time, IOptions<TokenOptions> Options,
    ILogger<TokenServices> Logger);
