using TaskFlow.Messaging.Consuming;

namespace TaskFlow.Notifier.IntegrationEvents;

/// <summary>
/// Turns task events into notifications by <see cref="NotificationRules"/>, a batch at a time (the consumer hands over
/// what the broker has prefetched, up to <c>MaxBatchSize</c>). Each event is applied once: the inbox rows of the
/// batch's event ids, their notifications and the live-stream signals (<c>pg_notify</c>, delivered at commit) are one
/// statement, so one transaction (<see cref="NotificationInserts"/>), and the consumer acks the batch only after it
/// commits. An event the inbox already holds adds nothing; the same event twice in one batch is applied once.
/// </summary>
public sealed partial class TaskNotificationHandler(NotificationInserts inserts, TimeProvider time, ILogger<TaskNotificationHandler> logger) :
    IIntegrationEventBatchHandler
{
    /// <summary>The inbox's handler name: one per service is enough, since one handler applies every task event.</summary>
    public const string InboxName = "notifier";

    public async Task HandleBatchAsync(IReadOnlyList<IntegrationEventBatchItem> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = time.GetUtcNow();
        var events = new List<(Guid EventId, string EventType)>(batch.Count);
        var notifications = new List<(Notification, string?)>(batch.Count);
        var seen = new HashSet<Guid>(batch.Count);
        foreach (var item in batch)
        {
            if (!seen.Add(item.EventId))
            {
                continue;
            }

            events.Add((item.EventId, item.EventType));
            foreach (var intent in NotificationRules.For(item.Data))
            {
                notifications.Add((new Notification
                {
                    Id = Guid.CreateVersion7(now),
                    UserId = intent.RecipientId,
                    Type = intent.Type,
                    TaskId = intent.TaskId,
                    Message = intent.Message,
                    CreatedAt = now,
                    EventId = item.EventId,
                    DedupKey = intent.DedupKey,
                }, item.TraceParent));
            }
        }

        var signalled = await inserts.ApplyAsync(InboxName, now, events, notifications, cancellationToken);
        LogApplied(logger, batch.Count, notifications.Count, signalled);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A batch of {Events} event(s) with {Notifications} notification(s) applied; {Signals} NOTIFY signal(s)")]
    private static partial void LogApplied(ILogger logger, int events, int notifications, int signals);
}
