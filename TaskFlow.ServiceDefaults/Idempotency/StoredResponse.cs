namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>A completed response as it is replayed: status, the headers that describe it, and the exact body bytes.</summary>
public sealed record StoredResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, byte[] Body);
