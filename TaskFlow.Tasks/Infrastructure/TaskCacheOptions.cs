namespace TaskFlow.Tasks.Infrastructure;

public sealed class TaskCacheOptions
{
    public const string SectionName = "TaskCache";

    /// <summary>How long a version stays in Redis (L2).</summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a version stays in a replica's memory (L1).</summary>
    public TimeSpan LocalExpiration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a version stamp in Redis is trusted after the MongoDB read or write that produced it. A hot task costs
    /// one MongoDB read per lease; a change whose stamp Redis did not take is answered after one lease.
    /// </summary>
    public TimeSpan StampLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a "this user exists" answer of the Users service is remembered (users are never deleted).</summary>
    public TimeSpan UserExistence { get; set; } = TimeSpan.FromMinutes(2);
}
