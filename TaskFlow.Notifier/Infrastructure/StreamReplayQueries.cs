namespace TaskFlow.Notifier.Infrastructure;

/// <summary>What a reconnecting stream missed: the caller's notifications created after the last one it saw.</summary>
public static class StreamReplayQueries
{
    /// <summary>
    /// Oldest first, after <paramref name="lastEventId"/> in (created_at, id) order, at most <paramref name="limit"/>.
    /// Null when the id is not one of the caller's notifications (nothing to replay from).
    /// </summary>
    public static async Task<IReadOnlyList<NotificationView>?> ReadAfterAsync(
        this NotificationsDbContext db, Guid userId, Guid lastEventId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = await db.Notifications.AsNoTracking()
            .Where(n => n.Id == lastEventId && n.UserId == userId)
            .Select(n => new { n.CreatedAt, n.Id })
            .SingleOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return null;
        }

        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId)
            .Where(n => n.CreatedAt > last.CreatedAt || (n.CreatedAt == last.CreatedAt && n.Id.CompareTo(last.Id) > 0))
            .OrderBy(n => n.CreatedAt)
            .ThenBy(n => n.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(NotificationView.From)];
    }
}
