namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// What one lease call of <see cref="RedisRateLimitStore.LeaseAsync"/> returned: <paramref name="Taken"/> tokens moved
/// from the shared bucket to this replica (0: the bucket holds less than one token, the request is refused),
/// <paramref name="SharedTokens"/> whole tokens left in the shared bucket after the take, <paramref name="OtherLeases"/>
/// tokens other replicas may still hold in live leases (each lease's size less the token spent when it was taken), and, from the bucket after the take, the milliseconds
/// until it is full (<paramref name="FullMilliseconds"/>) and until it holds a whole token (<paramref name="WaitMilliseconds"/>).
/// </summary>
public readonly record struct TokenLeaseGrant(long Taken, long SharedTokens, long OtherLeases, long FullMilliseconds, long WaitMilliseconds);
