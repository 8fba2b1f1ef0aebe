namespace TaskFlow.MongoStandIn.Storage;

internal sealed class CursorState(long id, string ns, List<BsonDocument> docs, int position)
{
    public long Id { get; } = id;

    public string Ns { get; } = ns;

    public List<BsonDocument> Docs { get; } = docs;

    public int Position { get; set; } = position;

    public DateTime LastUsed { get; set; } = DateTime.UtcNow;

    public object Sync { get; } = new();
}
