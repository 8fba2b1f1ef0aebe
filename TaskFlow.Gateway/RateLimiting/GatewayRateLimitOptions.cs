namespace TaskFlow.Gateway.RateLimiting;

/// <summary>Rate limits of the public API (API.md defaults), bound from the <c>RateLimits</c> section.</summary>
public sealed class GatewayRateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary><c>POST /users/login</c>: fixed window per client IP.</summary>
    [Range(1, int.MaxValue)]
    public int LoginPermitLimit { get; set; } = 10;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Every other anonymous request: fixed window per client IP.</summary>
    [Range(1, int.MaxValue)]
    public int AnonymousPermitLimit { get; set; } = 60;

    public TimeSpan AnonymousWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The web client's files (routes whose metadata names the <c>static</c> policy): fixed window per client IP, apart
    /// from the API's anonymous budget so that loading the client spends none of it.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int StaticPermitLimit { get; set; } = 600;

    public TimeSpan StaticWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Authenticated requests: token bucket per user (600 a minute, bursts up to the bucket size).</summary>
    [Range(1, int.MaxValue)]
    public int AuthenticatedTokenLimit { get; set; } = 600;

    [Range(1, int.MaxValue)]
    public int AuthenticatedTokensPerPeriod { get; set; } = 10;

    public TimeSpan AuthenticatedReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most tokens of a user's bucket one gateway replica leases from the shared bucket in one Redis call (see
    /// <see cref="LeasedTokenBuckets"/>); 1 makes every request one call. Larger saves calls under load and widens the
    /// error across replicas (tokens one replica holds that another cannot use).
    /// </summary>
    [Range(1, 10_000)]
    public int AuthenticatedLeaseMaxTokens { get; set; } = 50;

    /// <summary>How long a lease is used before its unspent tokens go back to the shared bucket (with the next call).</summary>
    public TimeSpan AuthenticatedLeaseLifetime { get; set; } = TimeSpan.FromSeconds(1);
}
