namespace TaskFlow.Messaging.Publishing;

/// <summary>The broker cannot be reached right now; a relay backs off and tries again.</summary>
public sealed class BrokerUnavailableException(string message) : Exception(message);
