using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Contracts;

namespace TaskFlow.Messaging.Outbox.EfCore;

/// <summary>Staging events in the outbox and applying incoming events exactly once, with EF Core.</summary>
public static class IntegrationEventDbContextExtensions
{
    private static readonly ConditionalWeakTable<DbContext, object> Subscribed = [];

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
            var seen = await db.Set<ProcessedEvent>().AsNoTracking()
                .AnyAsync(p => p.EventId == context.EventId && p.Handler == handler, ct);
            if (seen)
            {
                return false;
            }

            await effect(ct);
            db.Set<ProcessedEvent>().Add(new ProcessedEvent
            {
                EventId = context.EventId,
                Handler = handler,
                EventType = context.EventType,
                ProcessedAt = DateTimeOffset.UtcNow,
            });
            // A concurrent duplicate fails here on the inbox key; the consumer retries it and then sees it as seen.
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }
}
