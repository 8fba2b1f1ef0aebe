namespace TaskFlow.Messaging.Outbox.EfCore;

/// <summary>
/// The inbox claim of a consumer that applies a whole batch in one PostgreSQL statement (the Notifier's notifications,
/// the Webhooks' deliveries): a CTE named <c>claimed</c> that inserts one inbox row per event id for the handler unless
/// it is there already, and returns the <c>event_id</c> and <c>event_type</c> of those claimed now, so the rest of the
/// statement applies only them (a redelivered event claims nothing and so changes nothing). Its parameters:
/// <c>$1</c> the handler (text), <c>$2</c> the time (timestamptz), <c>$3</c> the event ids (uuid[]), <c>$4</c> their
/// types (text[]). The table and the conflict rule are those of the single-event claim
/// (<see cref="IntegrationEventDbContextExtensions"/>), so both kinds of consumer share one inbox.
/// </summary>
public static class InboxBatchClaim
{
    /// <summary>The CTE, for <c>WITH {ClaimedCte}, …</c>.</summary>
    public const string ClaimedCte = $"""
        claimed AS (
            INSERT INTO {OutboxModelBuilderExtensions.InboxTable} (event_id, handler, event_type, processed_at)
            SELECT e.event_id, $1, e.event_type, $2 FROM unnest($3::uuid[], $4::text[]) AS e(event_id, event_type)
            ON CONFLICT (event_id, handler) DO NOTHING
            RETURNING event_id, event_type
        )
        """;
}
