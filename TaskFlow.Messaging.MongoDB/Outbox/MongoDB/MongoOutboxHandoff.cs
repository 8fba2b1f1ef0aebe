using System.Threading.Channels;

namespace TaskFlow.Messaging.Outbox.MongoDB;

/// <summary>
/// Publishing from the write path for one collection's relay: a writer that inserts a document with pending events
/// first asks for a reservation (<see cref="TryReserve"/>); with one it writes the document already leased to this
/// process (<see cref="MongoOutboxReservation.LeaseField"/> = <see cref="MongoOutboxReservation.LeaseUntil"/>), so no
/// sweep (here or on another replica) claims it, and after the acknowledged write hands the document's id and events
/// to the relay in memory. The relay then publishes them and clears them with one update, instead of finding and
/// claiming the document (two commands fewer per write). Without a reservation (queue full, or the relay backing off
/// after a broker failure) <see cref="InsertAsync"/> writes without a lease and wakes the relay as before
/// (<see cref="OutboxRelaySignal.Notify"/>). A process that stops between the write and the hand-off leaves a leased
/// document; the sweep publishes it once the lease expired (at-least-once is kept).
/// </summary>
public sealed class MongoOutboxHandoff
{
    /// <summary>How many reservations (written or being written, not yet published) may be outstanding.</summary>
    public const int Capacity = 1024;

    private readonly Channel<HandedDocument> _queue = Channel.CreateUnbounded<HandedDocument>(new UnboundedChannelOptions { SingleReader = true });
    private readonly MongoOutboxOptions _options;
    private int _outstanding;
    private int _paused;

    internal MongoOutboxHandoff(MongoOutboxOptions options) => _options = options;

    /// <summary>Outstanding reservations, for tests and diagnostics.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    internal ChannelReader<HandedDocument> Reader => _queue.Reader;

    /// <summary>True while the relay backs off after a broker failure: writers write unleased until a sweep succeeds.</summary>
    internal bool Paused
    {
        get => Volatile.Read(ref _paused) == 1;
        set => Volatile.Write(ref _paused, value ? 1 : 0);
    }

    /// <summary>A reservation to write one leased document and hand it off; null when the writer should write unleased and notify.</summary>
    public MongoOutboxReservation? TryReserve()
    {
        if (Paused)
        {
            return null;
        }

        if (Interlocked.Increment(ref _outstanding) > Capacity)
        {
            Interlocked.Decrement(ref _outstanding);
            return null;
        }

        return new MongoOutboxReservation(this, _options.LeaseField, DateTime.UtcNow + _options.LeaseDuration);
    }

    /// <summary>
    /// Inserts <paramref name="document"/> (which carries <paramref name="pendingEvents"/>) leased to this relay and
    /// hands its events over; true when handed off. False when no reservation was free: the document was inserted
    /// without a lease and the relay is woken (<see cref="OutboxRelaySignal.Notify"/>) to sweep it, as before.
    /// </summary>
    public async Task<bool> InsertAsync<TDocument>(
        IMongoCollection<TDocument> collection, TDocument document, BsonValue documentId, IReadOnlyList<BsonDocument> pendingEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(pendingEvents);
        using var reservation = pendingEvents.Count > 0 ? TryReserve() : null;
        if (reservation is null)
        {
            await collection.InsertOneAsync(document, cancellationToken: cancellationToken);
            if (pendingEvents.Count > 0)
            {
                OutboxRelaySignal.Notify();
            }

            return false;
        }

        var leased = document.ToBsonDocument(collection.DocumentSerializer);
        leased[reservation.LeaseField] = reservation.LeaseUntil;
        await collection.Database.GetCollection<BsonDocument>(collection.CollectionNamespace.CollectionName)
            .InsertOneAsync(leased, cancellationToken: cancellationToken);
        reservation.HandOff(documentId, pendingEvents);
        return true;
    }

    internal void Enqueue(HandedDocument document)
    {
        if (!_queue.Writer.TryWrite(document))
        {
            Release();
            OutboxRelaySignal.Notify();
        }
    }

    internal void Release() => Interlocked.Decrement(ref _outstanding);

    internal readonly record struct HandedDocument(BsonValue Id, IReadOnlyList<BsonDocument> Events);
}
