namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>The outcome of claiming a key: the state found, the fingerprint stored with it, and the response once completed.</summary>
public sealed record IdempotencyBegin(IdempotencyState State, string Fingerprint, StoredResponse? Response);
