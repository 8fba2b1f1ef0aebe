namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>What <see cref="IdempotencyStore.BeginAsync"/> found for a key.</summary>
public enum IdempotencyState
{
    /// <summary>The key was free: this request now holds it (in flight) and runs.</summary>
    Acquired,

    /// <summary>A request with this key is still running.</summary>
    InFlight,

    /// <summary>A request with this key completed; its response is stored.</summary>
    Completed,
}
