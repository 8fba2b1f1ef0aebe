namespace TaskFlow.Webhooks.Delivery;

/// <summary>A destination the SSRF guard refused (its name resolves to a forbidden address, or to none).</summary>
public sealed class DestinationRefusedException(string message) : IOException(message);
