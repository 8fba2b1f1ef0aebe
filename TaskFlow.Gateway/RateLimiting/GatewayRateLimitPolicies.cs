namespace TaskFlow.Gateway.RateLimiting;

/// <summary>The three policies of API.md, built once from <see cref="GatewayRateLimitOptions"/>.</summary>
public sealed class GatewayRateLimitPolicies(IOptions<GatewayRateLimitOptions> options)
{
    public RateLimitPolicy Login { get; } = new("login", RateLimitAlgorithm.FixedWindow, options.Value.LoginPermitLimit, options.Value.LoginWindow);

    public RateLimitPolicy Anonymous { get; } = new("anonymous", RateLimitAlgorithm.FixedWindow, options.Value.AnonymousPermitLimit, options.Value.AnonymousWindow);

    /// <summary>A bucket of <c>AuthenticatedTokenLimit</c> tokens refilled at <c>AuthenticatedTokensPerPeriod</c> per period.</summary>
    public RateLimitPolicy User { get; } = new("user", RateLimitAlgorithm.TokenBucket, options.Value.AuthenticatedTokenLimit,
        options.Value.AuthenticatedReplenishmentPeriod * ((double)options.Value.AuthenticatedTokenLimit / options.Value.AuthenticatedTokensPerPeriod));
}
