using System.Text.Json.Nodes;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Envelope;

namespace TaskFlow.Webhooks.IntegrationEvents;

/// <summary>
/// The Webhooks consumer's one batch handler (the consumer hands over what the broker has prefetched, up to
/// <c>MaxBatchSize</c>): each task event becomes one pending delivery per enabled subscription that asked for its type
/// and whose owner can see the task at event time (<see cref="TaskAudience"/>, admins included), and
/// <c>user.registered</c>/<c>user.updated</c> keep the set of admins (<see cref="AdminRoleChange"/>). One handler for
/// both, so a batch mixing them is one transaction, role changes first (<see cref="DeliveryInserts"/>), and the
/// consumer acks the batch only after it commits. The inbox makes each event count once, however often it arrives;
/// the same event twice in one batch is applied once.
/// </summary>
public sealed partial class TaskWebhookHandler(DeliveryInserts inserts, DeliverySignal signal, TimeProvider time, ILogger<TaskWebhookHandler> logger) :
    IIntegrationEventBatchHandler
{
    /// <summary>The inbox's handler name, shared by task and user events (event ids are unique across types).</summary>
    public const string InboxName = "webhooks";

    public async Task HandleBatchAsync(IReadOnlyList<IntegrationEventBatchItem> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var roleChanges = new List<AdminRoleChange>();
        var taskEvents = new List<ScheduledTaskEvent>(batch.Count);
        var seen = new HashSet<Guid>(batch.Count);
        foreach (var item in batch)
        {
            if (!seen.Add(item.EventId))
            {
                continue;
            }

            if (AdminRoleChange.From(item.EventId, item.EventType, item.Time, item.Data) is { } change)
            {
                roleChanges.Add(change);
            }
            else
            {
                taskEvents.Add(new ScheduledTaskEvent(item.EventId, item.EventType, TaskAudience.UsersWhoSee(item.Data), CloudEventBody(item)));
            }
        }

        var scheduled = await inserts.ApplyAsync(InboxName, time.GetUtcNow(), roleChanges, taskEvents, cancellationToken);
        if (scheduled > 0)
        {
            signal.Notify();
        }

        LogApplied(logger, batch.Count, roleChanges.Count, scheduled);
    }

    /// <summary>The delivery body: the CloudEvent in structured JSON (<c>specversion, id, type, source, time, data</c>).</summary>
    public static string CloudEventBody(IntegrationEventBatchItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var body = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = item.EventId.ToString(),
            ["type"] = item.EventType,
            ["source"] = item.Source,
            ["time"] = item.Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["data"] = JsonSerializer.SerializeToNode(item.Data, item.Data.GetType(), IntegrationEventEnvelope.SerializerOptions),
        };
        return body.ToJsonString();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A batch of {Events} event(s) ({RoleChanges} role change(s)) applied; {Count} webhook delivery(ies) scheduled")]
    private static partial void LogApplied(ILogger logger, int events, int roleChanges, int count);
}
