namespace TaskFlow.ServiceDefaults.Authentication;

/// <summary>How a service validates TaskFlow access tokens. Bound from the <c>Jwt</c> configuration section.</summary>
public sealed class JwtValidationOptions
{
    public const string SectionName = "Jwt";

    /// <summary>Base address of the token issuer's discovery metadata; resolved through service discovery.</summary>
    [Required]
    public string Authority { get; set; } = "http://users";

    [Required]
    public string Issuer { get; set; } = "taskflow-users";

    [Required]
    public string Audience { get; set; } = "taskflow-api";

    /// <summary>Tolerated clock difference between issuer and validator.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);
}
