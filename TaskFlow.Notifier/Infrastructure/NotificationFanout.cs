using Npgsql;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>
/// Cross-replica fan-out for live streams through PostgreSQL LISTEN/NOTIFY. The handler that stores a notification
/// issues <c>pg_notify</c> in the same transaction, so PostgreSQL delivers the signal only if the notification was
/// committed, to every replica listening, whichever replica consumed the event. Chosen over Redis pub/sub or
/// per-replica RabbitMQ queues because it needs no extra dependency and is transactional with the write.
/// A replica that loses its listening connection reconnects; a stream may miss live events in that gap, the inbox
/// does not.
/// </summary>
public sealed partial class NotificationFanout(
    IConfiguration configuration,
    NotificationStreamHub hub,
    ILogger<NotificationFanout> logger) : BackgroundService
{
    /// <summary>The "notification push" spans (one per replica that has a live stream for the recipient).</summary>
    public static readonly ActivitySource ActivitySource = new("TaskFlow.Notifier");

    public bool Listening { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString(NotifierResources.Database)
            ?? throw new InvalidOperationException($"ConnectionStrings:{NotifierResources.Database} is missing.");
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {NotifierResources.NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                Listening = true;
                failures = 0;
                LogListening(logger, NotifierResources.NotifyChannel);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or InvalidOperationException or TimeoutException)
            {
                Listening = false;
                failures++;
                LogListenFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, failures)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        Listening = false;
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        try
        {
            foreach (var signal in NotificationSignal.Read(e.Payload))
            {
                if (!hub.HasSubscribers(signal.UserId))
                {
                    continue;
                }

                using var push = ActivityContext.TryParse(signal.TraceParent, null, isRemote: true, out var parent)
                    ? ActivitySource.StartActivity("notification push", ActivityKind.Internal, parent)
                    : null;
                push?.SetTag("taskflow.notification.type", signal.Notification.Type);
                hub.Publish(signal.UserId, signal.Notification);
            }
        }
        catch (JsonException ex)
        {
            LogBadPayload(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for new notifications on {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for new notifications failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring an unreadable notification signal")]
    private static partial void LogBadPayload(ILogger logger, Exception exception);
}
