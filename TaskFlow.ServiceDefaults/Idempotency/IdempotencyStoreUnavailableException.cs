namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>The idempotency store is unreachable: a keyed request must not run (it could run twice).</summary>
public sealed class IdempotencyStoreUnavailableException(Exception inner)
    : Exception("The idempotency store (Redis) is unreachable.", inner);
