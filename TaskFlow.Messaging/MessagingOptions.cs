using System.ComponentModel.DataAnnotations;

namespace TaskFlow.Messaging;

/// <summary>Messaging settings, bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>How long a publish waits for the broker's confirm before it counts as failed.</summary>
    public TimeSpan PublishConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often an outbox relay sweeps for unpublished events when nothing woke it up earlier. Relays are woken
    /// in-process right after each commit that stages events, so this is a safety net (events of a replica that
    /// stopped before relaying, leftovers of a broker outage), not the normal path. A sweep that finds nothing records
    /// no span and no log.
    /// </summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events claimed and published per relay round.</summary>
    [Range(1, 1000)]
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>
    /// How many documents a MongoDB outbox relay publishes at once (each document's own events stay in order). A
    /// publish waits for the broker's confirm (a few ms idle, 30 ms and more when the broker's disk is busy), so the
    /// relay's rate is about this many documents per confirm round trip: 8 capped it near 200 events/s on the 2-core
    /// machine, and events queued in the outbox for up to 1.5 s at that rate (docs/BENCHMARKS.md, the event stages).
    /// The channel's confirm tracking allows 128 outstanding publishes.
    /// </summary>
    [Range(1, 128)]
    public int OutboxConcurrentDocuments { get; set; } = 64;

    /// <summary>First back-off after a failed publish; doubles per attempt up to <see cref="OutboxMaxBackoff"/>.</summary>
    public TimeSpan OutboxInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan OutboxMaxBackoff { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long published rows stay in an EF Core outbox table before they are deleted.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>An unpublished event older than this makes the relay's health check report Degraded.</summary>
    public TimeSpan OutboxHealthLagThreshold { get; set; } = TimeSpan.FromMinutes(1);
}
