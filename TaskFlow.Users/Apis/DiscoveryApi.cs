namespace TaskFlow.Users.Apis;

/// <summary>
/// Authorization server metadata and the JWKS. <c>issuer</c> is the configured public issuer (<c>Jwt:Issuer</c>, the
/// gateway's public base URL: the tokens' <c>iss</c>), and <c>token_endpoint</c> hangs under it, as OpenID Connect
/// Discovery and RFC 8414 require of a document served at <c>{issuer}/.well-known/...</c>. <c>jwks_uri</c> is built
/// from the request, so the services' JwtBearer handlers, which read this document from Users directly, also fetch the
/// keys directly (through the gateway it is <c>{issuer}/.well-known/jwks.json</c>: YARP's <c>X-Forwarded-*</c> headers,
/// never passed through from clients, name the public address the client used).
/// </summary>
public static class DiscoveryApi
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string AuthorizationServerPath = "/.well-known/oauth-authorization-server";
    public const string JwksPath = "/.well-known/jwks.json";
    public const string TokenEndpointPath = "/users/login";

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("").WithTags("Discovery").AllowAnonymous();
        wellKnown.MapGet(DiscoveryPath, GetConfiguration)
            .WithName("OpenIdConfiguration")
            .WithSummary("Authorization server metadata (OpenID Connect Discovery 1.0)")
            .WithDescription("`issuer` (the public base URL, equal to every access token's `iss`), `token_endpoint` (`{issuer}/users/login`: " +
                "`grant_type=password` and `refresh_token`, public client `taskflow`, no client authentication), `jwks_uri`, and only fields that are true: " +
                "TaskFlow issues no ID tokens and has no authorization endpoint.");
        wellKnown.MapGet(AuthorizationServerPath, GetConfiguration)
            .WithName("OAuthAuthorizationServerMetadata")
            .WithSummary("Authorization server metadata (RFC 8414)")
            .WithDescription("The same document as `/.well-known/openid-configuration`, at the RFC 8414 address.");
        wellKnown.MapGet(JwksPath, GetKeys)
            .WithName("JsonWebKeySet")
            .WithSummary("Public keys that verify access tokens (current and previous)")
            .WithDescription("The JSON Web Key Set (RFC 7517) with the RS256 public keys that sign access tokens: the current key and, during a rotation, the previous ones.");
        return app;
    }

    public static Ok<OpenIdConfiguration> GetConfiguration(HttpRequest request, IOptions<JwtValidationOptions> jwt)
    {
        var issuer = jwt.Value.Issuer;
        return TypedResults.Ok(new OpenIdConfiguration(
            Issuer: issuer,
            TokenEndpoint: issuer + TokenEndpointPath,
            JwksUri: PublicBaseAddress(request) + JwksPath,
            GrantTypesSupported: [TokensApi.PasswordGrant, TokensApi.RefreshTokenGrant],
            TokenEndpointAuthMethodsSupported: ["none"],
            ResponseTypesSupported: [],
            SubjectTypesSupported: ["public"],
            ClaimsSupported: [TokenClaims.Subject, TokenClaims.Email, TokenClaims.Name, TokenClaims.Role, TokenClaims.SessionId],
            ServiceDocumentation: issuer + "/docs"));
    }

    private static string PublicBaseAddress(HttpRequest request)
    {
        static string? First(HttpRequest request, string header) =>
            request.Headers[header].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

        var scheme = First(request, "X-Forwarded-Proto") ?? request.Scheme;
        var host = First(request, "X-Forwarded-Host") ?? request.Host.ToString();
        var prefix = First(request, "X-Forwarded-Prefix") ?? request.PathBase.ToString();
        return $"{scheme}://{host}{prefix.TrimEnd('/')}";
    }

    public static Ok<JsonWebKeySetResponse> GetKeys(SigningKeyRing keys, HttpResponse response)
    {
        // Short caching: validators refetch on an unknown kid anyway, and a rotation should spread within minutes.
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new JsonWebKeySetResponse([.. keys.PublicKeys.Select(key =>
        {
            var parameters = key.Parameters;
            return new PublicJsonWebKey("RSA", "sig", SecurityAlgorithms.RsaSha256, key.KeyId,
                Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
        })]));
    }
}
