namespace TaskFlow.Gateway.Revocation;

/// <summary>How the gateway follows the shared revocation list; bound from <c>Gateway:Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string SectionName = "Gateway:Revocation";

    /// <summary>
    /// How long a "not revoked" answer from Redis is reused while the pub/sub subscription stays up (every revocation
    /// arrives by pub/sub at once; this only bounds the damage of a message lost without a disconnect).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan TrustCheckFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a known revocation is kept in memory: at least the access-token lifetime (15 min).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan RetainRevokedFor { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Longest wait for Redis on a request; past it the request is treated as with Redis down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
