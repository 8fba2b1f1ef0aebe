using TaskFlow.Messaging.Consuming;

namespace TaskFlow.Notifier.IntegrationEvents;

/// <summary>
/// Turns task events into notifications by <see cref="NotificationRules"/>. Each event is applied once: the
/// notifications, the inbox row for the event id and the live-stream signal (<c>pg_notify</c>, delivered at commit)
/// share one transaction (<see cref="NotificationInserts"/>), and the consumer acks only after it commits.
/// </summary>
public sealed partial class TaskNotificationHandler(NotificationsDbContext db, TimeProvider time, ILogger<TaskNotificationHandler> logger) :
    IIntegrationEventHandler<TaskCreated>,
    IIntegrationEventHandler<TaskUpdated>,
    IIntegrationEventHandler<TaskAssigned>,
    IIntegrationEventHandler<TaskCommentAdded>
{
    /// <summary>The inbox's handler name: one per service is enough, since one handler applies every task event.</summary>
    public const string InboxName = "notifier";

    public Task HandleAsync(IntegrationEventContext<TaskCreated> context, CancellationToken cancellationToken) => NotifyAsync(context, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<TaskUpdated> context, CancellationToken cancellationToken) => NotifyAsync(context, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<TaskAssigned> context, CancellationToken cancellationToken) => NotifyAsync(context, cancellationToken);

    public Task HandleAsync(IntegrationEventContext<TaskCommentAdded> context, CancellationToken cancellationToken) => NotifyAsync(context, cancellationToken);

    private async Task NotifyAsync<TEvent>(IntegrationEventContext<TEvent> context, CancellationToken cancellationToken)
        where TEvent : class, IIntegrationEvent
    {
        var intents = NotificationRules.For(context.Data);
        var stored = 0;
        var applied = await db.ProcessOnceAsync(context, InboxName, async ct =>
        {
            var now = time.GetUtcNow();
            var notifications = intents.Select(intent => new Notification
            {
                Id = Guid.CreateVersion7(now),
                UserId = intent.RecipientId,
                Type = intent.Type,
                TaskId = intent.TaskId,
                Message = intent.Message,
                CreatedAt = now,
                EventId = context.EventId,
                DedupKey = intent.DedupKey,
            }).ToList();
            stored = await db.InsertAndSignalAsync(notifications, Activity.Current?.Id, ct);
        }, cancellationToken);

        if (applied)
        {
            LogApplied(logger, context.EventId, context.EventType, stored);
        }
        else
        {
            LogDuplicate(logger, context.EventId, context.EventType);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) stored {Count} notification(s)")]
    private static partial void LogApplied(ILogger logger, Guid eventId, string eventType, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) was already processed; no second effect")]
    private static partial void LogDuplicate(ILogger logger, Guid eventId, string eventType);
}
