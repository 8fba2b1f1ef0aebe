using TaskFlow.ServiceDefaults.Paging;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>The read side of the API, each a caller's own: newest first, keyset-paged on (created_at, id).</summary>
public sealed class WebhookReads(WebhooksDbContext db)
{
    public async Task<Page<WebhookView>> ListAsync(Guid ownerId, int limit, TimeOrderedCursor? cursor, CancellationToken cancellationToken)
    {
        var query = db.Subscriptions.AsNoTracking().Where(s => s.OwnerId == ownerId);
        if (cursor is { } after)
        {
            query = query.Where(s => s.CreatedAt < after.CreatedAt || (s.CreatedAt == after.CreatedAt && s.Id.CompareTo(after.Id) < 0));
        }

        var rows = await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var next = rows.Count > limit ? new TimeOrderedCursor(rows[limit - 1].CreatedAt, rows[limit - 1].Id).Encode() : null;
        return new Page<WebhookView>([.. rows.Take(limit).Select(WebhookView.From)], next);
    }

    public async Task<WebhookView?> GetAsync(Guid ownerId, Guid id, CancellationToken cancellationToken) =>
        await db.Subscriptions.AsNoTracking().Where(s => s.Id == id && s.OwnerId == ownerId).FirstOrDefaultAsync(cancellationToken) is { } s
            ? WebhookView.From(s)
            : null;

    /// <summary>Null when the subscription is not the caller's.</summary>
    public async Task<Page<DeliveryView>?> DeliveriesAsync(Guid ownerId, Guid id, int limit, TimeOrderedCursor? cursor, CancellationToken cancellationToken)
    {
        if (!await db.Subscriptions.AnyAsync(s => s.Id == id && s.OwnerId == ownerId, cancellationToken))
        {
            return null;
        }

        var query = db.Deliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (cursor is { } after)
        {
            query = query.Where(d => d.CreatedAt < after.CreatedAt || (d.CreatedAt == after.CreatedAt && d.Id.CompareTo(after.Id) < 0));
        }

        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var next = rows.Count > limit ? new TimeOrderedCursor(rows[limit - 1].CreatedAt, rows[limit - 1].Id).Encode() : null;
        return new Page<DeliveryView>([.. rows.Take(limit).Select(DeliveryView.From)], next);
    }
}
