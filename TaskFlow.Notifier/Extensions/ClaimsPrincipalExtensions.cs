using System.Security.Claims;

namespace TaskFlow.Notifier.Extensions;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's user id: the token's <c>sub</c> claim (inbound claim mapping is off).</summary>
    public static Guid? GetUserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user?.FindFirst("sub")?.Value, out var id) ? id : null;
}
