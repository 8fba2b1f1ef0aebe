using MongoDB.Bson;
using TaskFlow.MongoStandIn.Query;

namespace TaskFlow.MongoStandIn.Storage;

internal readonly record struct IndexEntry(BsonValue[] Key, long RecordId);
