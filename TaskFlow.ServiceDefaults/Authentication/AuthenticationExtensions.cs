using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Bearer-token validation shared by every service: the standard JwtBearer handler reads the Users service's
/// OpenID discovery metadata and JWKS through service discovery, so keys can rotate and no secret is shared.
/// </summary>
public static class AuthenticationExtensions
{
    public const string MetadataHttpClientName = "jwt-metadata";

    public static IHostApplicationBuilder AddTaskFlowAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtValidationOptions>()
            .Bind(builder.Configuration.GetSection(JwtValidationOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => JwtValidationOptions.IsValidIssuer(o.Issuer),
                "Jwt:Issuer must be the public base URL (absolute http or https, no trailing slash, no query), e.g. http://localhost:8080.")
            .Validate(o => o.ValidatedTokenCacheLifetime >= TimeSpan.Zero && o.ValidatedTokenCacheLifetime <= TimeSpan.FromMinutes(10),
                "Jwt:ValidatedTokenCacheLifetime must be between 00:00:00 (off) and 00:10:00.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddHttpClient(MetadataHttpClientName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        builder.Services.AddAuthorization();
        return builder;
    }

    private sealed class ConfigureJwtBearer(IOptions<JwtValidationOptions> options, IHttpClientFactory httpClientFactory, TimeProvider time)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions bearer)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return;
            }

            var jwt = options.Value;
            bearer.MapInboundClaims = false;
            if (jwt.ValidatedTokenCacheLifetime > TimeSpan.Zero)
            {
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, time, jwt.ValidatedTokenCacheLifetime));
            }

            bearer.RequireHttpsMetadata = false;
            bearer.MetadataAddress = $"{jwt.Authority.TrimEnd('/')}/.well-known/openid-configuration";
            bearer.Backchannel = httpClientFactory.CreateClient(MetadataHttpClientName);
            bearer.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                bearer.MetadataAddress,
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(bearer.Backchannel) { RequireHttps = false })
            {
                // Pick up a rotated key quickly; a token with an unknown kid also forces a refresh.
                AutomaticRefreshInterval = TimeSpan.FromMinutes(10),
                RefreshInterval = TimeSpan.FromSeconds(10),
            };
            bearer.TokenValidationParameters.ValidIssuer = jwt.Issuer;
            bearer.TokenValidationParameters.ValidAudience = jwt.Audience;
            bearer.TokenValidationParameters.ValidAlgorithms = ["RS256"];
            bearer.TokenValidationParameters.NameClaimType = "name";
            bearer.TokenValidationParameters.RoleClaimType = "role";
            bearer.TokenValidationParameters.ClockSkew = jwt.ClockSkew;
        }

        public void Configure(JwtBearerOptions bearer) => Configure(JwtBearerDefaults.AuthenticationScheme, bearer);
    }
}
