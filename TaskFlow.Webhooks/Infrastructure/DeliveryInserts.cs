using Npgsql;
using NpgsqlTypes;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>
/// Applies a batch of consumed events without EF Core, in one round trip and one implicit transaction (an
/// <see cref="NpgsqlBatch"/>: an error in any statement rolls back the others): first, when the batch holds user events,
/// one statement claims their event ids in the inbox (<c>processed_events</c>, <c>ON CONFLICT DO NOTHING</c>) and
/// applies the newest role change per user of those claimed now (<see cref="AdminRoleChange"/>); then one statement
/// claims the task events' ids and inserts one pending delivery per (claimed event, enabled subscription listing its
/// type, whose owner is in the event's audience or a known admin), <c>ON CONFLICT DO NOTHING</c> on the unique
/// (subscription, event). The second statement sees the first's admins, so a batch applies role changes before task
/// events. An event already in the inbox (a redelivery) claims nothing and so adds nothing. Matching goes from the few
/// audience and admin ids to <c>ix_webhook_subscriptions_owner_created</c> (owner_id first), never over every subscription.
/// </summary>
public sealed class DeliveryInserts(IConfiguration configuration) : IAsyncDisposable
{
    private const string AdminSql = $"""
        WITH {InboxBatchClaim.ClaimedCte}, latest AS (
            SELECT DISTINCT ON (c.user_id) c.user_id, c.is_admin, c.at
            FROM unnest($3::uuid[], $5::uuid[], $6::boolean[], $7::timestamptz[]) AS c(event_id, user_id, is_admin, at)
            JOIN claimed USING (event_id)
            ORDER BY c.user_id, c.at DESC
        ), added AS (
            INSERT INTO webhook_admins (user_id, updated_at)
            SELECT l.user_id, l.at FROM latest l WHERE l.is_admin
            ON CONFLICT (user_id) DO NOTHING
            RETURNING 1
        ), removed AS (
            DELETE FROM webhook_admins a USING latest l
            WHERE a.user_id = l.user_id AND NOT l.is_admin AND a.updated_at <= l.at
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM added)::int + (SELECT count(*) FROM removed)::int
        """;

    // The delivery id is a UUIDv7 of the batch's time, as Guid.CreateVersion7(now): the first 48 bits are the Unix
    // milliseconds, the version nibble 0111 (bits 52 and 53 set over gen_random_uuid's 0100), the rest random.
    private const string TaskSql = $"""
        WITH {InboxBatchClaim.ClaimedCte}, audience AS (
            SELECT a.event_id, a.user_id FROM unnest($5::uuid[], $6::uuid[]) AS a(event_id, user_id)
            UNION
            SELECT c.event_id, k.user_id FROM claimed c CROSS JOIN webhook_admins k
        ), inserted AS (
            INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, status, attempts, created_at, next_attempt_at)
            SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                        PLACING substring(int8send(floor(extract(epoch FROM $2::timestamptz) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
                s.id, c.event_id, c.event_type, b.body, '{DeliveryStatus.Pending}', 0, $2, $2
            FROM claimed c
            JOIN audience a ON a.event_id = c.event_id
            JOIN webhook_subscriptions s ON s.owner_id = a.user_id
            JOIN unnest($3::uuid[], $7::text[]) AS b(event_id, body) ON b.event_id = c.event_id
            WHERE s.enabled AND c.event_type = ANY (s.events)
            ON CONFLICT (subscription_id, event_id) DO NOTHING
            RETURNING 1
        )
        SELECT count(*)::int FROM inserted
        """;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(
        configuration.GetConnectionString(WebhooksResources.Database)
        ?? throw new InvalidOperationException($"ConnectionStrings:{WebhooksResources.Database} is missing."));

    /// <summary>
    /// Claims the events for <paramref name="handler"/>, applies the role changes of those not claimed before, then
    /// schedules the deliveries of the task events not claimed before (created and due at <paramref name="now"/>);
    /// returns how many deliveries were inserted. Event ids must be distinct within the batch.
    /// </summary>
    public async Task<int> ApplyAsync(
        string handler,
        DateTimeOffset now,
        IReadOnlyList<AdminRoleChange> roleChanges,
        IReadOnlyList<ScheduledTaskEvent> taskEvents,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roleChanges);
        ArgumentNullException.ThrowIfNull(taskEvents);
        if (roleChanges.Count == 0 && taskEvents.Count == 0)
        {
            return 0;
        }

        await using var batch = _dataSource.CreateBatch();
        if (roleChanges.Count > 0)
        {
            var admins = new NpgsqlBatchCommand(AdminSql);
            admins.Parameters.Add(new NpgsqlParameter<string> { TypedValue = handler });
            admins.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            admins.Parameters.Add(Array(roleChanges, c => c.EventId));
            admins.Parameters.Add(Array(roleChanges, c => c.EventType));
            admins.Parameters.Add(Array(roleChanges, c => c.UserId));
            admins.Parameters.Add(Array(roleChanges, c => c.IsAdmin));
            admins.Parameters.Add(Array(roleChanges, c => c.Time));
            batch.BatchCommands.Add(admins);
        }

        if (taskEvents.Count > 0)
        {
            var audienceEvents = new List<Guid>(taskEvents.Count * 2);
            var audienceUsers = new List<Guid>(taskEvents.Count * 2);
            foreach (var taskEvent in taskEvents)
            {
                foreach (var user in taskEvent.Audience)
                {
                    audienceEvents.Add(taskEvent.EventId);
                    audienceUsers.Add(user);
                }
            }

            var deliveries = new NpgsqlBatchCommand(TaskSql);
            deliveries.Parameters.Add(new NpgsqlParameter<string> { TypedValue = handler });
            deliveries.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            deliveries.Parameters.Add(Array(taskEvents, e => e.EventId));
            deliveries.Parameters.Add(Array(taskEvents, e => e.EventType));
            deliveries.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. audienceEvents] });
            deliveries.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. audienceUsers] });
            deliveries.Parameters.Add(Array(taskEvents, e => e.Body));
            batch.BatchCommands.Add(deliveries);
        }

        var inserted = 0;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // The admin statement's count comes first; only the last result (the deliveries) is kept.
                inserted = reader.GetInt32(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return taskEvents.Count > 0 ? inserted : 0;
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
