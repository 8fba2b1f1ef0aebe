namespace TaskFlow.Gateway.RateLimiting;

/// <summary>The three policies of API.md and the web client's own, built once from <see cref="GatewayRateLimitOptions"/>.</summary>
public sealed class GatewayRateLimitPolicies(IOptions<GatewayRateLimitOptions> options)
{
    /// <summary>The name of the web client's policy, and the value of the <c>RateLimitPolicy</c> metadata of its routes.</summary>
    public const string StaticPolicyName = "static";

    public RateLimitPolicy Login { get; } = new("login", RateLimitAlgorithm.FixedWindow, options.Value.LoginPermitLimit, options.Value.LoginWindow);

    public RateLimitPolicy Anonymous { get; } = new("anonymous", RateLimitAlgorithm.FixedWindow, options.Value.AnonymousPermitLimit, options.Value.AnonymousWindow);

    /// <summary>The web client's files, per client IP, whoever asks (see <see cref="GatewayRateLimitOptions.StaticPermitLimit"/>).</summary>
    public RateLimitPolicy Static { get; } = new(StaticPolicyName, RateLimitAlgorithm.FixedWindow, options.Value.StaticPermitLimit, options.Value.StaticWindow);

    /// <summary>A bucket of <c>AuthenticatedTokenLimit</c> tokens refilled at <c>AuthenticatedTokensPerPeriod</c> per period.</summary>
    public RateLimitPolicy User { get; } = new("user", RateLimitAlgorithm.TokenBucket, options.Value.AuthenticatedTokenLimit,
        options.Value.AuthenticatedReplenishmentPeriod * ((double)options.Value.AuthenticatedTokenLimit / options.Value.AuthenticatedTokensPerPeriod));
}
