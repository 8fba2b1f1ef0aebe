namespace TaskFlow.MongoStandIn.Wire;

internal sealed record IncomingMessage(
    int RequestId,
    int OpCode,
    BsonDocument Command,
    string Database,
    bool MoreToCome,
    string? LegacyNamespace);
