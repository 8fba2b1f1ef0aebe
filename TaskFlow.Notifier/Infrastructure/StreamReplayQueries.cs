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

    /// <summary>
    /// The ids of the caller's notifications stored since <paramref name="since"/> (newest first, at most
    /// <paramref name="limit"/>): what a stream opening now already has, by replay or as history.
    /// </summary>
    public static async Task<List<Guid>> ReadStoredIdsSinceAsync(
        this NotificationsDbContext db, Guid userId, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && n.CreatedAt > since)
            .OrderByDescending(n => n.CreatedAt)
            .ThenByDescending(n => n.Id)
            .Select(n => n.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }
}
