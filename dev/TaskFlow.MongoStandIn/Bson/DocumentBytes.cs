namespace TaskFlow.MongoStandIn.Bson;

/// <summary>Byte-for-byte equality of documents (a no-op update leaves the stored document alone).</summary>
internal static class DocumentBytes
{
    public static bool Same(BsonDocument a, BsonDocument b) => a.ToBson().AsSpan().SequenceEqual(b.ToBson());
}
