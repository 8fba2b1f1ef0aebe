namespace TaskFlow.Gateway.Streams;

/// <summary>The answer to a stream's request for a slot: granted, or refused with the seconds until one can free up.</summary>
public sealed record StreamSlot(bool Granted, int RetryAfterSeconds);
