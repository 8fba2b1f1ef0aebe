using System.Security.Claims;

namespace TaskFlow.ServiceDefaults.Authentication;

/// <summary>
/// Who a request acts for, read once for every service: the access token's <c>sub</c> claim. Inbound claim mapping
/// is off (see <c>AddTaskFlowAuthentication</c>), so the claim keeps its JWT name rather than
/// <see cref="ClaimTypes.NameIdentifier"/>.
/// </summary>
public static class CallerIdentity
{
    /// <summary>The JWT claim that names the user a token was issued to.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The JWT claim that names the login session a token belongs to (revoked together at logout).</summary>
    public const string SessionClaim = "sid";

    /// <summary>The raw <c>sub</c> value, or null when the principal has none (anonymous requests).</summary>
    public static string? GetSubject(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(SubjectClaim)?.Value;
    }

    /// <summary>
    /// The caller's user id, or null when the principal has no subject or one that is not a UUID: TaskFlow user ids
    /// are UUIDs, and a token without one is not a caller.
    /// </summary>
    public static Guid? GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetSubject(), out var id) ? id : null;

    /// <summary>The token's session id (<c>sid</c>), or null when it has none.</summary>
    public static string? GetSessionId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(SessionClaim)?.Value;
    }
}
