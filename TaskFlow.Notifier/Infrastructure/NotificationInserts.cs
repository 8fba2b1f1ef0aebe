using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>
/// Stores an event's new notifications and signals the live streams in one statement, inside the caller's (the
/// inbox's) transaction. A row whose dedup key is already stored is skipped by its unique index
/// (<c>ON CONFLICT DO NOTHING</c>): when two replicas apply <c>task.updated</c> and <c>task.assigned</c> of one change
/// at the same moment, one stores the notification and the other skips it; neither fails and waits for a retry.
/// Only the rows inserted get a <c>pg_notify</c>, which PostgreSQL delivers at commit.
/// </summary>
public static class NotificationInserts
{
    private const string Sql = """
        WITH candidate AS (
            SELECT * FROM unnest(@id, @user_id, @type, @task_id, @message, @created_at, @event_id, @dedup_key, @payload)
                AS c(id, user_id, type, task_id, message, created_at, event_id, dedup_key, payload)
        ), inserted AS (
            INSERT INTO notifications (id, user_id, type, task_id, message, created_at, event_id, dedup_key)
            SELECT id, user_id, type, task_id, message, created_at, event_id, dedup_key FROM candidate
            ON CONFLICT DO NOTHING
            RETURNING id
        )
        SELECT pg_notify(@channel, candidate.payload) FROM candidate JOIN inserted USING (id)
        """;

    /// <summary>Returns how many of <paramref name="notifications"/> were stored (the others were already).</summary>
    public static async Task<int> InsertAndSignalAsync(
        this NotificationsDbContext db, IReadOnlyList<Notification> notifications, string? traceParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notifications);
        if (notifications.Count == 0)
        {
            return 0;
        }

        await using var command = ((NpgsqlConnection)db.Database.GetDbConnection()).CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("Notifications are stored inside the inbox transaction.");
        command.CommandText = Sql;
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("id", [.. notifications.Select(n => n.Id)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("user_id", [.. notifications.Select(n => n.UserId)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("type", [.. notifications.Select(n => n.Type)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("task_id", [.. notifications.Select(n => n.TaskId)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("message", [.. notifications.Select(n => n.Message)]));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("created_at", [.. notifications.Select(n => n.CreatedAt)]));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("event_id", [.. notifications.Select(n => n.EventId)]));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("dedup_key", [.. notifications.Select(n => n.DedupKey)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("payload",
            [.. notifications.Select(n => new NotificationSignal(n.UserId, NotificationView.From(n), traceParent).ToPayload())]));
        command.Parameters.Add(new NpgsqlParameter<string>("channel", NotifierResources.NotifyChannel));

        var stored = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored++;
        }

        return stored;
    }
}
