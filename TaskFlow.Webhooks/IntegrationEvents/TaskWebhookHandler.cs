using System.Text.Json.Nodes;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Envelope;

namespace TaskFlow.Webhooks.IntegrationEvents;

/// <summary>
/// Turns a task event into one pending delivery per enabled subscription that asked for its type and whose owner can
/// see the task at event time (<see cref="TaskAudience"/>, admins included). The deliveries and the inbox row share
/// one transaction, so each event yields exactly one delivery per subscription, however often it arrives.
/// </summary>
public sealed partial class TaskWebhookHandler(WebhooksDbContext db, DeliverySignal signal, TimeProvider time, ILogger<TaskWebhookHandler> logger) :
    IIntegrationEventHandler<TaskCreated>,
    IIntegrationEventHandler<TaskUpdated>,
    IIntegrationEventHandler<TaskAssigned>,
    IIntegrationEventHandler<TaskDeleted>,
    IIntegrationEventHandler<TaskCommentAdded>
{
    public const string InboxName = "webhooks";

    public Task HandleAsync(IntegrationEventContext<TaskCreated> context, CancellationToken cancellationToken) => ScheduleAsync(context, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<TaskUpdated> context, CancellationToken cancellationToken) => ScheduleAsync(context, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<TaskAssigned> context, CancellationToken cancellationToken) => ScheduleAsync(context, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<TaskDeleted> context, CancellationToken cancellationToken) => ScheduleAsync(context, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<TaskCommentAdded> context, CancellationToken cancellationToken) => ScheduleAsync(context, cancellationToken);

    /// <summary>The delivery body: the CloudEvent in structured JSON (<c>specversion, id, type, source, time, data</c>).</summary>
    public static string CloudEventBody<TEvent>(IntegrationEventContext<TEvent> context) where TEvent : class, IIntegrationEvent
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = context.EventId.ToString(),
            ["type"] = context.EventType,
            ["source"] = context.Source,
            ["time"] = context.Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["data"] = JsonSerializer.SerializeToNode(context.Data, context.Data.GetType(), IntegrationEventEnvelope.SerializerOptions),
        };
        return body.ToJsonString();
    }

    private async Task ScheduleAsync<TEvent>(IntegrationEventContext<TEvent> context, CancellationToken cancellationToken)
        where TEvent : class, IIntegrationEvent
    {
        var audience = TaskAudience.UsersWhoSee(context.Data).ToList();
        var type = context.EventType;
        var scheduled = 0;
        var applied = await db.ProcessOnceAsync(context, InboxName, async ct =>
        {
            var subscriptions = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Enabled && s.Events.Contains(type) &&
                    (audience.Contains(s.OwnerId) || db.Admins.Any(a => a.UserId == s.OwnerId)))
                .Select(s => s.Id)
                .ToListAsync(ct);
            if (subscriptions.Count == 0)
            {
                return;
            }

            var now = time.GetUtcNow();
            var body = CloudEventBody(context);
            foreach (var subscriptionId in subscriptions)
            {
                db.Deliveries.Add(new WebhookDelivery
                {
                    Id = Guid.CreateVersion7(now),
                    SubscriptionId = subscriptionId,
                    EventId = context.EventId,
                    EventType = type,
                    Body = body,
                    Status = DeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
            }

            scheduled = subscriptions.Count;
        }, cancellationToken);

        if (applied && scheduled > 0)
        {
            signal.Notify();
            LogScheduled(logger, context.EventId, type, scheduled);
        }
        else if (!applied)
        {
            LogDuplicate(logger, context.EventId, type);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) scheduled {Count} webhook delivery(ies)")]
    private static partial void LogScheduled(ILogger logger, Guid eventId, string eventType, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) was already processed; no second delivery")]
    private static partial void LogDuplicate(ILogger logger, Guid eventId, string eventType);
}
