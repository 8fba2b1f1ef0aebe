namespace TaskFlow.MongoStandIn.Storage;

internal sealed record QueryHit(long RecordId, BsonDocument Doc, int? Position, double Score);
