namespace TaskFlow.MongoStandIn.Wire;

/// <summary>A message that violates the wire protocol: the connection is closed.</summary>
internal sealed class WireFormatException(string message) : Exception(message);
