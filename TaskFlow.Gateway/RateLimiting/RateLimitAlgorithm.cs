namespace TaskFlow.Gateway.RateLimiting;

/// <summary>How a policy counts: a fixed window per key, or a token bucket refilled continuously.</summary>
public enum RateLimitAlgorithm
{
    FixedWindow,
    TokenBucket,
}
