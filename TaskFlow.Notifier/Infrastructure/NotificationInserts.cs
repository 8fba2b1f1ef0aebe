using Npgsql;
using NpgsqlTypes;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>
/// Applies a batch of task events in ONE statement, so one round trip and one implicit transaction per batch, without
/// EF Core: the inbox claim of every event id (<c>processed_events</c>, <c>ON CONFLICT DO NOTHING</c>), the
/// notifications of the events claimed now (<c>ON CONFLICT DO NOTHING</c>: a dedup key already stored is skipped, so
/// <c>task.updated</c> and <c>task.assigned</c> of one change store one notification even when two replicas apply them
/// at the same moment; neither fails), and <c>pg_notify</c> over the rows inserted, their signals packed into JSON
/// arrays of at most ~7 KB (NOTIFY's limit is 8000 bytes), which PostgreSQL delivers at commit. An event already in
/// the inbox (a redelivery) claims nothing and so stores and signals nothing. All or nothing: if the statement fails,
/// no event of the batch is applied.
/// </summary>
public sealed class NotificationInserts(IConfiguration configuration) : IAsyncDisposable
{
    private const string Sql = $"""
        WITH {InboxBatchClaim.ClaimedCte}, candidate AS (
            SELECT * FROM unnest($5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::text[], $10::uuid[], $11::text[], $12::text[])
                AS c(id, user_id, type, task_id, message, event_id, dedup_key, payload)
        ), inserted AS (
            INSERT INTO notifications (id, user_id, type, task_id, message, created_at, event_id, dedup_key)
            SELECT c.id, c.user_id, c.type, c.task_id, c.message, $2, c.event_id, c.dedup_key
            FROM candidate c JOIN claimed USING (event_id)
            ON CONFLICT DO NOTHING
            RETURNING id
        ), signal AS (
            SELECT c.payload, (sum(octet_length(c.payload)) OVER (ORDER BY c.id)) / {SignalChunkBytes} AS chunk
            FROM candidate c JOIN inserted USING (id)
        )
        SELECT pg_notify($13, '[' || string_agg(payload, ',') || ']') FROM signal GROUP BY chunk
        """;

    // A chunk holds payloads up to this many bytes plus the one crossing the boundary (a payload is under 2 KB:
    // a 500-character message at most), so every NOTIFY stays under PostgreSQL's 8000 bytes.
    private const string SignalChunkBytes = "5000";

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(
        configuration.GetConnectionString(NotifierResources.Database)
        ?? throw new InvalidOperationException($"ConnectionStrings:{NotifierResources.Database} is missing."));

    /// <summary>
    /// Claims <paramref name="eventIds"/> for <paramref name="handler"/> and stores the notifications of those not
    /// claimed before (their <see cref="Notification.CreatedAt"/> must be <paramref name="now"/>); returns how many NOTIFY
    /// signals were sent.
    /// </summary>
    public async Task<int> ApplyAsync(
        string handler,
        DateTimeOffset now,
        IReadOnlyList<(Guid EventId, string EventType)> events,
        IReadOnlyList<(Notification Notification, string? TraceParent)> notifications,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(notifications);
        await using var command = _dataSource.CreateCommand(Sql);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = handler });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(Array(events, e => e.EventId));
        parameters.Add(Array(events, e => e.EventType));
        parameters.Add(Array(notifications, n => n.Notification.Id));
        parameters.Add(Array(notifications, n => n.Notification.UserId));
        parameters.Add(Array(notifications, n => n.Notification.Type));
        parameters.Add(Array(notifications, n => n.Notification.TaskId));
        parameters.Add(Array(notifications, n => n.Notification.Message));
        parameters.Add(Array(notifications, n => n.Notification.EventId));
        parameters.Add(Array(notifications, n => n.Notification.DedupKey));
        parameters.Add(Array(notifications, n => NotificationSignal.Payload(n.Notification, n.TraceParent)));
        parameters.Add(new NpgsqlParameter<string> { TypedValue = NotifierResources.NotifyChannel });

        var signals = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            signals++;
        }

        return signals;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static NpgsqlParameter<T[]> Array<TItem, T>(IReadOnlyList<TItem> items, Func<TItem, T> select)
    {
        var values = new T[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(items[i]);
        }

        return new NpgsqlParameter<T[]> { TypedValue = values };
    }
}
