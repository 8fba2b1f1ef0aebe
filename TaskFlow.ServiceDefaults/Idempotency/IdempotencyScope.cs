namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>Whose key space an idempotent endpoint uses: the caller's user id, or the client IP for anonymous writes.</summary>
public enum IdempotencyScope
{
    /// <summary>Keyed per authenticated user (the token's <c>sub</c>).</summary>
    User,

    /// <summary>Keyed per client IP (anonymous endpoints such as registration).</summary>
    ClientIp,
}
