namespace TaskFlow.Messaging.Outbox.MongoDB;

/// <summary>
/// One writer's right to insert a document leased to its relay and hand its events over
/// (<see cref="MongoOutboxHandoff.TryReserve"/>). Set <see cref="LeaseField"/> to <see cref="LeaseUntil"/> in the
/// insert; after the write is acknowledged call <see cref="HandOff"/>; if the write throws, dispose it (the document
/// was not written). Disposing after <see cref="HandOff"/> does nothing.
/// </summary>
public sealed class MongoOutboxReservation : IDisposable
{
    private readonly MongoOutboxHandoff _handoff;
    private int _done;

    internal MongoOutboxReservation(MongoOutboxHandoff handoff, string leaseField, DateTime leaseUntil)
    {
        _handoff = handoff;
        LeaseField = leaseField;
        LeaseUntil = leaseUntil;
    }

    /// <summary>The document field that holds the lease.</summary>
    public string LeaseField { get; }

    /// <summary>The lease's expiry (UTC): the sweep leaves the document alone until then.</summary>
    public DateTime LeaseUntil { get; }

    /// <summary>Hands the written document's id and its pending events (in order) to the relay.</summary>
    public void HandOff(BsonValue documentId, IReadOnlyList<BsonDocument> pendingEvents)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentNullException.ThrowIfNull(pendingEvents);
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _handoff.Enqueue(new MongoOutboxHandoff.HandedDocument(documentId, pendingEvents));
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _handoff.Release();
        }
    }
}
