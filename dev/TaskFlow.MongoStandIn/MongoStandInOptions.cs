namespace TaskFlow.MongoStandIn;

/// <summary>Options of a <see cref="MongoStandInServer"/>.</summary>
public sealed record MongoStandInOptions
{
    /// <summary>TCP port; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Address to bind; loopback by default.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Directory of the journal; null or empty keeps everything in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Whether acknowledged writes are fsynced before the reply (default true).</summary>
    public bool Fsync { get; init; } = true;

    /// <summary>The journal is compacted once it reaches this size and twice its size after the last compaction.</summary>
    public const long DefaultCompactJournalAtBytes = 64L * 1024 * 1024;

    /// <summary>Journal size from which it is compacted (see <see cref="DefaultCompactJournalAtBytes"/>).</summary>
    public long CompactJournalAtBytes { get; init; } = DefaultCompactJournalAtBytes;

    /// <summary>How often documents past a TTL index's expireAfterSeconds are deleted (MongoDB: 60 s).</summary>
    public TimeSpan TtlMonitorInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives diagnostic lines (journal recovery, connection errors).</summary>
    public Action<string>? Log { get; init; }
}
