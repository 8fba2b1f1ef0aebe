using System.Security.Claims;

namespace TaskFlow.Gateway.Streams;

/// <summary>When an authenticated request's access token was issued, in Unix ms, as the revocation list compares it.</summary>
public static class AccessTokenIssuedAt
{
    /// <summary><c>iat_ms</c> when present; else the start of the <c>iat</c> second (the earliest it can have been issued).</summary>
    public static long Milliseconds(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (long.TryParse(principal.FindFirst(AccessTokenRevocations.IssuedAtMillisecondsClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return milliseconds;
        }

        return long.TryParse(principal.FindFirst("iat")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds * 1000 : 0;
    }
}
