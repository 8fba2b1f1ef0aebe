namespace TaskFlow.Webhooks.Model;

/// <summary>
/// When a failed delivery is tried again: the configured delay before attempt n+1 (exponential, e.g. 5 s, 1 min,
/// 10 min, 1 h, 6 h, 16 h) with ± jitter, at least the receiver's <c>Retry-After</c> on 429/503 (capped); none after the
/// last attempt. Pure, so tests cover it without waiting.
/// </summary>
public sealed class RetrySchedule(IReadOnlyList<TimeSpan> delays, double jitter, TimeSpan retryAfterCap)
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts => delays.Count + 1;

    /// <summary>
    /// The delay after failed attempt <paramref name="attempts"/> (1-based), or null when it was the last.
    /// <paramref name="random"/> is in [0, 1).
    /// </summary>
    public TimeSpan? DelayAfter(int attempts, TimeSpan? retryAfter, double random)
    {
        if (attempts < 1 || attempts > delays.Count)
        {
            return null;
        }

        var baseDelay = delays[attempts - 1];
        var jittered = TimeSpan.FromTicks((long)(baseDelay.Ticks * (1 + (jitter * ((2 * random) - 1)))));
        if (retryAfter is TimeSpan asked && asked > jittered)
        {
            return asked < retryAfterCap ? asked : retryAfterCap;
        }

        return jittered;
    }

    /// <summary>How long the whole schedule spans at most, without jitter.</summary>
    public TimeSpan Span => delays.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);
}
