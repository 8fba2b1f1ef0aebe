using Microsoft.IdentityModel.JsonWebTokens;

namespace TaskFlow.Gateway.Revocation;

/// <summary>
/// Adds the revocation check to the gateway's JwtBearer validation: a signed, unexpired token whose session was
/// revoked (logout, refresh-token reuse) or whose user's tokens were revoked (roles changed) fails authentication, so
/// every protected route answers 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c>.
/// </summary>
public sealed class RevocationCheck(RevokedTokenCache cache) : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        options.Events ??= new JwtBearerEvents();
        var previous = options.Events.OnTokenValidated;
        options.Events.OnTokenValidated = async context =>
        {
            await previous(context);
            if (context.Result is not null || context.Principal is not { } principal)
            {
                return;
            }

            var userId = principal.GetSubject();
            if (userId is null)
            {
                context.Fail("The token has no subject.");
                return;
            }

            var verdict = await cache.CheckAsync(principal.GetSessionId(), userId, IssuedAtMilliseconds(context));
            if (verdict == RevocationVerdict.Revoked)
            {
                context.Fail("The token has been revoked.");
            }
        };
    }

    /// <summary><c>iat_ms</c> when present; else the start of the <c>iat</c> second (the earliest it can have been issued).</summary>
    private static long IssuedAtMilliseconds(TokenValidatedContext context)
    {
        var precise = context.Principal?.FindFirst(AccessTokenRevocations.IssuedAtMillisecondsClaim)?.Value;
        if (long.TryParse(precise, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return milliseconds;
        }

        return context.SecurityToken switch
        {
            JsonWebToken jwt => new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            _ => 0,
        };
    }
}
