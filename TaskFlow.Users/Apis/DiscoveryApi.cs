namespace TaskFlow.Users.Apis;

/// <summary>
/// OpenID discovery metadata and the JWKS, so every service validates tokens with the standard JwtBearer handler
/// and picks up rotated keys by itself. Addresses are built from the request, so they work however the service is
/// reached: directly (service discovery, a direct port) or through the gateway, whose <c>X-Forwarded-Proto</c> /
/// <c>X-Forwarded-Host</c> / <c>X-Forwarded-Prefix</c> (set by YARP, never passed through from clients) name the
/// public address the client used.
/// </summary>
public static class DiscoveryApi
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string JwksPath = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("").WithTags("Discovery").AllowAnonymous();
        wellKnown.MapGet(DiscoveryPath, GetConfiguration)
            .WithName("OpenIdConfiguration")
            .WithSummary("OpenID discovery metadata of the token issuer")
            .WithDescription("OpenID Connect discovery metadata: issuer, `jwks_uri`, `token_endpoint` (addresses as the caller reached this service), supported grants and claims.");
        wellKnown.MapGet(JwksPath, GetKeys)
            .WithName("JsonWebKeySet")
            .WithSummary("Public keys that verify access tokens (current and previous)")
            .WithDescription("The JSON Web Key Set (RFC 7517) with the RS256 public keys that sign access tokens: the current key and, during a rotation, the previous ones.");
        return app;
    }

    public static Ok<OpenIdConfiguration> GetConfiguration(HttpRequest request, IOptions<JwtValidationOptions> jwt)
    {
        var baseAddress = PublicBaseAddress(request);
        return TypedResults.Ok(new OpenIdConfiguration(
            Issuer: jwt.Value.Issuer,
            JwksUri: baseAddress + JwksPath,
            TokenEndpoint: baseAddress + "/users/login",
            GrantTypesSupported: [TokensApi.PasswordGrant, TokensApi.RefreshTokenGrant],
            TokenEndpointAuthMethodsSupported: ["none"],
            ResponseTypesSupported: ["token"],
            SubjectTypesSupported: ["public"],
            IdTokenSigningAlgValuesSupported: [SecurityAlgorithms.RsaSha256],
            ClaimsSupported: [TokenClaims.Subject, TokenClaims.Email, TokenClaims.Name, TokenClaims.Role, TokenClaims.SessionId]));
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
