using TaskFlow.ServiceDefaults.Paging;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>The inbox page query, written once: newest first, keyset-paged on (created_at, id).</summary>
public static class InboxQueries
{
    public static async Task<NotificationPage> ReadInboxPageAsync(
        this NotificationsDbContext db,
        Guid userId,
        bool unreadOnly,
        int limit,
        TimeOrderedCursor? cursor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        if (cursor is { } after)
        {
            query = query.Where(n => n.CreatedAt < after.CreatedAt || (n.CreatedAt == after.CreatedAt && n.Id.CompareTo(after.Id) < 0));
        }

        var rows = await query
            .OrderByDescending(n => n.CreatedAt)
            .ThenByDescending(n => n.Id)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(NotificationView.From).ToList();
        var next = rows.Count > limit ? new TimeOrderedCursor(rows[limit - 1].CreatedAt, rows[limit - 1].Id).Encode() : null;
        return new NotificationPage(items, next);
    }
}
