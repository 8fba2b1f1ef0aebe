namespace TaskFlow.Gateway.Streams;

/// <summary>Limits on long-lived notification streams (API.md: at most 5 per user); bound from <c>Gateway:Streams</c>.</summary>
public sealed class StreamLimitOptions
{
    public const string SectionName = "Gateway:Streams";

    /// <summary>Concurrent <c>/notifications/stream</c> connections per user, across every gateway replica.</summary>
    [Range(1, 1000)]
    public int MaxPerUser { get; set; } = 5;

    /// <summary>
    /// How long a stream's slot is held in Redis without renewal: a replica that dies frees its streams' slots after
    /// this. Also the <c>Retry-After</c> ceiling of a refused stream.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan LeaseLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an open stream renews its slot and re-checks its token against the shared revocation list.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RenewEvery { get; set; } = TimeSpan.FromSeconds(10);
}
