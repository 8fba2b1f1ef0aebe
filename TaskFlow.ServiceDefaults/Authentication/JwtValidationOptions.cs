namespace TaskFlow.ServiceDefaults.Authentication;

/// <summary>How a service validates TaskFlow access tokens. Bound from the <c>Jwt</c> configuration section.</summary>
public sealed class JwtValidationOptions
{
    public const string SectionName = "Jwt";

    /// <summary>The issuer of a local run: the gateway's default public address (API.md, "Sessions at the edge").</summary>
    public const string DefaultIssuer = "http://localhost:8080";

    /// <summary>Base address of the token issuer's discovery metadata; resolved through service discovery.</summary>
    [Required]
    public string Authority { get; set; } = "http://users";

    /// <summary>
    /// The public issuer identifier: the gateway's public base URL (absolute http(s), no trailing slash, no query), the
    /// <c>iss</c> of every access token and the <c>issuer</c> of the discovery document served under it. The AppHost
    /// passes the gateway's actual address to every service, so issuing and validating can never disagree.
    /// </summary>
    [Required]
    public string Issuer { get; set; } = DefaultIssuer;

    [Required]
    public string Audience { get; set; } = "taskflow-api";

    /// <summary>Tolerated clock difference between issuer and validator.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a token that validated is taken as valid again without repeating the signature check (never past its
    /// <c>exp</c>; see <see cref="ValidatedTokenCache"/>); also the longest a token signed by a withdrawn key stays
    /// accepted. Zero turns the cache off.
    /// </summary>
    public TimeSpan ValidatedTokenCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>RFC 8414 section 2: an https (here also http, for local runs) URL with no query or fragment; no trailing slash (API.md).</summary>
    public static bool IsValidIssuer(string? issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo) &&
        !issuer.EndsWith('/');
}
