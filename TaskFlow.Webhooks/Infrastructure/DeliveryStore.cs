using Npgsql;

namespace TaskFlow.Webhooks.Infrastructure;

/// <summary>
/// The worker's statements. A claim takes due pending deliveries of enabled subscriptions with
/// <c>FOR UPDATE SKIP LOCKED</c> and sets a lease on them in one statement, so two replicas never take the same row;
/// it takes at most the room each destination and each owner has left on this replica (<see cref="ClaimBounds"/>),
/// so deliveries to a slow receiver stay in the table (for any replica) instead of waiting in memory. Each result is written only
/// while the lease is still the one claimed (a fencing token).
/// </summary>
public static class DeliveryStore
{
    private const string ClaimSql = """
        WITH running AS (
            SELECT * FROM unnest(@destinations::text[], @counts::int[]) AS r(destination, count)
        ), running_owners AS (
            SELECT * FROM unnest(@owners::uuid[], @owner_counts::int[]) AS o(owner_id, count)
        ), candidates AS (
            SELECT d.id, d.next_attempt_at, s.owner_id,
                   row_number() OVER (PARTITION BY s.destination ORDER BY d.next_attempt_at, d.id) AS rank,
                   @per_destination - COALESCE(r.count, 0) AS room
            FROM webhook_deliveries d
            JOIN webhook_subscriptions s ON s.id = d.subscription_id
            LEFT JOIN running r ON r.destination = s.destination
            WHERE d.status = 'pending' AND d.next_attempt_at <= now()
              AND (d.lease_until IS NULL OR d.lease_until < now()) AND s.enabled
        ), within_destination AS (
            -- Ranked per owner only among what each destination has room for: a full destination's waiting
            -- deliveries take none of the owner's room from its other destinations.
            SELECT c.id, c.next_attempt_at,
                   row_number() OVER (PARTITION BY c.owner_id ORDER BY c.next_attempt_at, c.id) AS owner_rank,
                   @per_owner - COALESCE(o.count, 0) AS owner_room
            FROM candidates c
            LEFT JOIN running_owners o ON o.owner_id = c.owner_id
            WHERE c.rank <= c.room
        ), picked AS (
            SELECT d.id FROM webhook_deliveries d
            WHERE d.id IN (SELECT id FROM within_destination WHERE owner_rank <= owner_room ORDER BY next_attempt_at LIMIT @limit)
              AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
            FOR UPDATE OF d SKIP LOCKED
        )
        UPDATE webhook_deliveries d SET lease_until = now() + @lease
        FROM picked, webhook_subscriptions s
        WHERE d.id = picked.id AND s.id = d.subscription_id
        RETURNING d.id, d.subscription_id, s.owner_id, d.event_id, d.body, d.attempts, d.created_at, d.lease_until,
                  s.url, s.destination, s.secret_protected, s.previous_secret_protected, s.previous_secret_expires_at, s.failing_since
        """;

    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        this WebhooksDbContext db, int limit, ClaimBounds bounds, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(bounds);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = ClaimSql;
            command.Parameters.Add(new NpgsqlParameter<string[]>("destinations", [.. bounds.RunningPerDestination.Keys]));
            command.Parameters.Add(new NpgsqlParameter<int[]>("counts", [.. bounds.RunningPerDestination.Values]));
            command.Parameters.Add(new NpgsqlParameter<int>("per_destination", bounds.PerDestination));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("owners", [.. bounds.RunningPerOwner.Keys]));
            command.Parameters.Add(new NpgsqlParameter<int[]>("owner_counts", [.. bounds.RunningPerOwner.Values]));
            command.Parameters.Add(new NpgsqlParameter<int>("per_owner", bounds.PerOwner));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            command.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", lease));
            var claimed = new List<ClaimedDelivery>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedDelivery(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5),
                    reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
                    reader.GetString(8), reader.GetString(9), reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                    reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13)));
            }

            return claimed;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Success: the delivery is done and its subscription is no longer failing.</summary>
    public static async Task RecordSuccessAsync(this WebhooksDbContext db, ClaimedDelivery claim, AttemptResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(result);
        await db.Deliveries.Where(d => d.Id == claim.Id && d.LeaseUntil == claim.LeaseUntil).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Succeeded)
            .SetProperty(d => d.Attempts, d => d.Attempts + 1)
            .SetProperty(d => d.LastResponseStatus, result.StatusCode)
            .SetProperty(d => d.LastError, (string?)null)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (claim.FailingSince is not null)
        {
            await db.Subscriptions.Where(s => s.Id == claim.SubscriptionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, (DateTimeOffset?)null), cancellationToken);
        }
    }

    /// <summary>A failed attempt: due again at <paramref name="retryAt"/>, or failed for good when it is null.</summary>
    public static async Task RecordFailureAsync(
        this WebhooksDbContext db, ClaimedDelivery claim, AttemptResult result, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(result);
        await db.Deliveries.Where(d => d.Id == claim.Id && d.LeaseUntil == claim.LeaseUntil).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, retryAt is null ? DeliveryStatus.Failed : DeliveryStatus.Pending)
            .SetProperty(d => d.Attempts, d => d.Attempts + 1)
            .SetProperty(d => d.LastResponseStatus, result.StatusCode)
            .SetProperty(d => d.LastError, result.Error)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.NextAttemptAt, retryAt)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (claim.FailingSince is null)
        {
            await db.Subscriptions.Where(s => s.Id == claim.SubscriptionId && s.FailingSince == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, now), cancellationToken);
        }
    }

    /// <summary>Disables a subscription (410, or failing too long); what else it had pending fails with it.</summary>
    public static async Task DisableAsync(this WebhooksDbContext db, Guid subscriptionId, Guid attemptedDeliveryId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Subscriptions.Where(s => s.Id == subscriptionId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Enabled, false)
            .SetProperty(x => x.DisabledReason, reason), cancellationToken);
        // Attempts still in flight lose their lease with it: their results are not written back.
        await db.Deliveries.Where(d => d.SubscriptionId == subscriptionId && d.Id != attemptedDeliveryId && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Failed)
                .SetProperty(d => d.LastError, reason)
                .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>Gives a claimed delivery back untouched (the worker is stopping), so another replica takes it at once.</summary>
    public static Task ReleaseAsync(this WebhooksDbContext db, ClaimedDelivery claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return db.Deliveries.Where(d => d.Id == claim.Id && d.LeaseUntil == claim.LeaseUntil)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }
}
