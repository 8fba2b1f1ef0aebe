namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// A stored document that carries its own outbox: <c>pendingEvents</c>, the events of the change that wrote it, put
/// there by that same single-document write. The messaging library's relay publishes and <c>$pull</c>s them.
/// Fields the service does not know (the relay's lease) are ignored when reading.
/// </summary>
[BsonIgnoreExtraElements(Inherited = true)]
public abstract class OutboxDocument
{
    [BsonId]
    public required string Id { get; init; }

    /// <summary>Only written, never read back by the service: the relay owns it after the write.</summary>
    [BsonElement(PendingEvent.FieldName)]
    [BsonIgnoreIfNull]
    public List<BsonDocument>? PendingEvents { get; init; }
}
