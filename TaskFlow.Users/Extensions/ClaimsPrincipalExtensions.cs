using System.Security.Claims;
using TaskFlow.Users.Infrastructure.Tokens;

namespace TaskFlow.Users.Extensions;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's user id from <c>sub</c>; an authenticated TaskFlow token always has one.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(TokenClaims.Subject), out var id) ? id : Guid.Empty;

    public static string? GetSessionId(this ClaimsPrincipal principal) => principal.FindFirstValue(TokenClaims.SessionId);
}
