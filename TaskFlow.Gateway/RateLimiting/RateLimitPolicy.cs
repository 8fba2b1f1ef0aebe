namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// One rate-limit policy as the IETF RateLimit-Policy header describes it: <paramref name="Quota"/> requests per
/// <paramref name="Window"/>. A token bucket holds <paramref name="Quota"/> tokens and refills the whole quota over
/// the window (continuously), so bursts up to the quota are allowed.
/// </summary>
public sealed record RateLimitPolicy(string Name, RateLimitAlgorithm Algorithm, int Quota, TimeSpan Window)
{
    public long WindowMilliseconds => (long)Window.TotalMilliseconds;

    /// <summary>Token-bucket refill rate in tokens per millisecond.</summary>
    public double TokensPerMillisecond => Quota / Window.TotalMilliseconds;

    /// <summary>The <c>RateLimit-Policy</c> field value, e.g. <c>"login";q=10;w=60</c>.</summary>
    public string PolicyHeader { get; } = FormattableString.Invariant($"\"{Name}\";q={Quota};w={(long)Math.Ceiling(Window.TotalSeconds)}");
}
