using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// Delivery settings (section <c>Webhooks</c>). The defaults are the contract's (API.md "Webhooks"); tests shorten the
/// schedule through configuration only.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>Local mode: loopback destinations are allowed (a developer's or a test's own receiver). Nothing else is.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Delays before attempt 2, 3, ...: 7 attempts over about 23 hours.</summary>
    public TimeSpan[] RetryDelays { get; set; } =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(6),
        TimeSpan.FromHours(16),
    ];

    /// <summary>Each delay varies by up to this fraction either way, so receivers that failed together are not hit together.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>A receiver's <c>Retry-After</c> (429/503) is honoured up to this long.</summary>
    public TimeSpan RetryAfterCap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A 2xx within this long is a success; anything later is a failed attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Response body bytes read at most (then the connection is dropped).</summary>
    [Range(0, 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>Attempts in flight at once on one replica.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Attempts in flight at once to one destination (<c>host:port</c>) on one replica: a hanging receiver holds only these.</summary>
    [Range(1, 256)]
    public int MaxConcurrencyPerDestination { get; set; } = 4;

    /// <summary>
    /// Attempts in flight at once for one owner's webhooks on one replica: a user with many destinations that hang
    /// (one server on many ports or names) holds only these, never the whole <see cref="MaxConcurrency"/>.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrencyPerOwner { get; set; } = 8;

    /// <summary>Webhooks one user may have; creating one more is refused (409) until one is deleted.</summary>
    [Range(1, 10_000)]
    public int MaxWebhooksPerUser { get; set; } = 25;

    /// <summary>How often the worker looks for due deliveries when nothing woke it (other replicas' events, retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed delivery stays with its worker; a worker that died leaves it to others after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A subscription whose deliveries have failed for this long is disabled.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>After a rotation, the previous secret signs too for this long.</summary>
    public TimeSpan PreviousSecretLifetime { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryDelays.Length == 0 || RetryDelays.Any(d => d <= TimeSpan.Zero))
        {
            yield return new ValidationResult("Webhooks:RetryDelays needs at least one positive delay.", [nameof(RetryDelays)]);
        }

        if (AttemptTimeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero || LeaseDuration <= AttemptTimeout)
        {
            yield return new ValidationResult("Webhooks: AttemptTimeout and PollInterval must be positive, LeaseDuration longer than AttemptTimeout.");
        }

        if (DisableAfterFailingFor <= TimeSpan.Zero || PreviousSecretLifetime <= TimeSpan.Zero || RetryAfterCap <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Webhooks: DisableAfterFailingFor, PreviousSecretLifetime and RetryAfterCap must be positive.");
        }
    }

    public RetrySchedule Schedule() => new(RetryDelays, Jitter, RetryAfterCap);
}
