namespace TaskFlow.ServiceDefaults.Timing;

/// <summary>
/// Lets one caller through at most once per interval, without a lock, for housekeeping run on a hot path (e.g. sweeping
/// expired entries of an in-memory cache): of the callers that find the interval passed, exactly one passes.
/// </summary>
public sealed class PeriodicGate
{
    private long _next;

    /// <summary>
    /// True for exactly one caller once <paramref name="now"/> reaches the end of the interval (or at once with
    /// <paramref name="force"/>), which then starts the next interval of <paramref name="interval"/>; same units for both.
    /// </summary>
    public bool TryPass(long now, long interval, bool force = false)
    {
        var due = Interlocked.Read(ref _next);
        return (force || now >= due) && Interlocked.CompareExchange(ref _next, now + interval, due) == due;
    }
}
