namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// The outcome of one request against a policy, from the same state that decided it: whether it is allowed,
/// how many requests are left, and how long until the next one can be allowed (<paramref name="WaitMilliseconds"/>;
/// 0 when a request is available now) or until the window resets (<paramref name="ResetMilliseconds"/>).
/// </summary>
public readonly record struct RateLimitDecision(bool Allowed, long Remaining, long ResetMilliseconds, long WaitMilliseconds)
{
    /// <summary><c>Retry-After</c> in whole seconds, rounded up so that waiting it always suffices; never 0.</summary>
    public long RetryAfterSeconds => Math.Max(1, CeilingSeconds(WaitMilliseconds));

    /// <summary>
    /// <c>t</c> of the <c>RateLimit</c> field: for a fixed window the seconds until the quota resets; for a token
    /// bucket the seconds until the next request is allowed (0 while tokens are left). On a refusal it equals
    /// <see cref="RetryAfterSeconds"/>.
    /// </summary>
    public long ResetSeconds(RateLimitAlgorithm algorithm) => Allowed switch
    {
        false => RetryAfterSeconds,
        true when algorithm == RateLimitAlgorithm.FixedWindow => CeilingSeconds(ResetMilliseconds),
        true => Remaining > 0 ? 0 : CeilingSeconds(WaitMilliseconds),
    };

    /// <summary>The <c>RateLimit</c> field value, e.g. <c>"login";r=7;t=41</c>.</summary>
    public string Header(RateLimitPolicy policy) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{policy.Name}\";r={Math.Max(0, Remaining)};t={ResetSeconds(policy.Algorithm)}");

    private static long CeilingSeconds(long milliseconds) => milliseconds <= 0 ? 0 : (milliseconds + 999) / 1000;
}
