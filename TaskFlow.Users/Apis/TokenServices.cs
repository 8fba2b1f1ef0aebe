using TaskFlow.Users.Infrastructure;
using TaskFlow.Users.Infrastructure.Passwords;
using TaskFlow.Users.Infrastructure.Sessions;
using TaskFlow.Users.Infrastructure.Tokens;

namespace TaskFlow.Users.Apis;

/// <summary>What the session handlers need, bundled.</summary>
public sealed record TokenServices(
    UsersDbContext Db, PasswordHashing Passwords, RefreshTokenStore Sessions, AccessTokenIssuer Tokens, TimeProvider Time, ILogger<TokenServices> Logger);
