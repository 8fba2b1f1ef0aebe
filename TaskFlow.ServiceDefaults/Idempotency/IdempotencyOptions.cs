namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>How long idempotency records live (configuration section <c>Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a completed response is replayed for its key (API.md: 24 hours).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan RecordLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long the in-flight marker of a running request holds its key. Longer than any request may run (the gateway
    /// times requests out after 30 s), so a slow first request is never run twice; a crashed one frees its key after this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan InFlightLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most records one caller (a user, or a client IP for register) holds at once; a new key past it drops that
    /// caller's oldest record, so one caller cannot grow the store without bound (the draft lets a server expire keys).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxKeysPerCaller { get; set; } = 1000;

    /// <summary>The <c>Retry-After</c> of a 503 when the idempotency store (Redis) is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
