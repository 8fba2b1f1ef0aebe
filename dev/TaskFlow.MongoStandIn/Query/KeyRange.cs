namespace TaskFlow.MongoStandIn.Query;

internal sealed record KeyRange(BsonValue? Lower, bool LowerInclusive, BsonValue? Upper, bool UpperInclusive);
