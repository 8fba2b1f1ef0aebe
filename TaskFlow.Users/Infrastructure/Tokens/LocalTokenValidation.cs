using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace TaskFlow.Users.Infrastructure.Tokens;

/// <summary>
/// The Users service validates its own tokens with the shared JwtBearer setup (issuer, audience, RS256 only, claim
/// names), except that the keys come straight from its <see cref="SigningKeyRing"/> rather than from its own discovery
/// endpoint over HTTP. It also rejects a token whose session was logged out, so logout ends access here at once.
/// </summary>
public sealed class LocalTokenValidation(SigningKeyRing keys, IOptions<JwtValidationOptions> jwt) : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var configuration = new OpenIdConnectConfiguration { Issuer = jwt.Value.Issuer };
        foreach (var key in keys.PublicKeys)
        {
            configuration.SigningKeys.Add(key);
        }

        options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);

        options.Events ??= new JwtBearerEvents();
        var validated = options.Events.OnTokenValidated;
        options.Events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Principal?.GetSessionId() is { } sessionId)
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<RefreshTokenStore>();
                if (!await sessions.IsSessionActiveAsync(sessionId))
                {
                    context.Fail("The session of this token has ended.");
                }
            }
        };
    }
}
