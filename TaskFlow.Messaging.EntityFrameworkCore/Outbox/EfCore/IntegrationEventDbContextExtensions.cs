using System.Runtime.CompilerServices;
using TaskFlow.Messaging.Consuming;

namespace TaskFlow.Messaging.Outbox.EfCore;

/// <summary>Staging events in the outbox and applying incoming events exactly once, with EF Core.</summary>
public static class IntegrationEventDbContextExtensions
{
    private static readonly ConditionalWeakTable<DbContext, object> Subscribed = [];

    // PostgreSQL: the inbox row, unless it is already there (the table and columns of AddInbox).
    private const string ClaimSql =
        "INSERT INTO " + OutboxModelBuilderExtensions.InboxTable + " (event_id, handler, event_type, processed_at) " +
        "VALUES ({0}, {1}, {2}, {3}) ON CONFLICT (event_id, handler) DO NOTHING";

    /// <summary>
    /// Stages an event in the outbox table of this context. It is written by the next <c>SaveChanges</c>, in the same
    /// transaction as the other changes, and the relay publishes it after the commit (woken right after SaveChanges).
    /// </summary>
    public static OutboxMessage AddIntegrationEvent<TEvent>(this DbContext db, TEvent data, string subject, string? source = null)
        where TEvent : class, IIntegrationEvent
    {
        ArgumentNullException.ThrowIfNull(db);
        var message = OutboxMessage.From(data, subject, source);
        db.Set<OutboxMessage>().Add(message);
        if (Subscribed.TryAdd(db, Subscribed))
        {
            db.SavedChanges += (_, _) => OutboxRelaySignal.Notify();
        }

        return message;
    }

    /// <summary>
    /// Runs <paramref name="effect"/> (which adds or changes entities on <paramref name="db"/>, and may run SQL) and
    /// records the event in the inbox, in one transaction, unless this handler has already processed the event.
    /// Returns false for a duplicate. Uses the context's execution strategy, so it works with retrying Npgsql.
    /// </summary>
    public static Task<bool> ProcessOnceAsync<TEvent>(
        this DbContext db,
        IntegrationEventContext<TEvent> context,
        string handler,
        Func<CancellationToken, Task> effect,
        CancellationToken cancellationToken) where TEvent : class, IIntegrationEvent
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(effect);
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Claim the event before the effect, in one statement and no query to compile: a duplicate finds the inbox
            // row taken (a concurrent one waits on the key until this transaction ends, then finds it taken).
            var claimed = await db.Database.ExecuteSqlRawAsync(ClaimSql,
                [context.EventId, handler, context.EventType, DateTimeOffset.UtcNow], ct);
            if (claimed == 0)
            {
                return false;
            }

            await effect(ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }
}
