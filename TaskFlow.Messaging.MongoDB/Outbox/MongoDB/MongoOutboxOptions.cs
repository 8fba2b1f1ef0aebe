namespace TaskFlow.Messaging.Outbox.MongoDB;

/// <summary>How the MongoDB outbox relay treats one collection.</summary>
public sealed class MongoOutboxOptions
{
    /// <summary>
    /// When set, a document carrying this field is a tombstone: a deleted entity kept only until its pending events
    /// (e.g. <c>task.deleted</c>) are published; the relay then deletes it. Readers must filter tombstones out.
    /// Null turns tombstone cleanup off.
    /// </summary>
    public string? TombstoneField { get; set; } = "deletedAt";

    /// <summary>Field holding a replica's short claim on a document while it publishes that document's events.</summary>
    public string LeaseField { get; set; } = "pendingEventsLease";

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
}
