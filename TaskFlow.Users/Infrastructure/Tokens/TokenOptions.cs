namespace TaskFlow.Users.Infrastructure.Tokens;

/// <summary>
/// How the Users service issues tokens; bound from <c>Users:Tokens</c>. Issuer and audience come from the shared
/// <c>Jwt</c> section (<see cref="TaskFlow.ServiceDefaults.Authentication.JwtValidationOptions"/>) so that issuing and
/// validating can never disagree.
/// </summary>
public sealed class TokenOptions
{
    public const string SectionName = "Users:Tokens";

    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>PEM of the current RSA private key (PKCS#1 or PKCS#8). From the AppHost's secret parameter <c>jwt-signing-key</c>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEMs (private or public) of keys that signed tokens still in circulation; published in the JWKS, never used to sign.</summary>
    public List<string> PreviousSigningKeys { get; set; } = [];

    /// <summary>
    /// Where a development key is generated and shared by all replicas when <see cref="SigningKey"/> is not set.
    /// The AppHost points it into its data root; a standalone run uses <c>~/.aspnet/taskflow/users-keys</c>.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>The public OAuth2 client (RFC 6749 section 2.1) of TaskFlow's own clients.</summary>
    public const string DefaultPublicClient = "taskflow";

    /// <summary>
    /// Client ids the token endpoint accepts (<c>Users:Tokens:PublicClients:0</c>, ...); unset: only <see cref="DefaultPublicClient"/>.
    /// A request may also omit <c>client_id</c>.
    /// </summary>
    public List<string>? PublicClients { get; set; }

    public IReadOnlyList<string> AllowedClients => PublicClients is { Count: > 0 } clients ? clients : [DefaultPublicClient];

    /// <summary>Allow generating a development key outside the Development environment (never in production).</summary>
    public bool AllowGeneratedKey { get; set; }
}
