namespace TaskFlow.MongoStandIn.Storage;

internal readonly record struct IndexEntry(BsonValue[] Key, long RecordId);
