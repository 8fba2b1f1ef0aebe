using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace TaskFlow.Notifier.Apis;

/// <summary>
/// <c>GET /notifications/stream</c>: server-sent events, one per new notification for the caller, each with
/// <c>id:</c> (the notification id) and <c>data:</c> (the Notification JSON). A reconnect with <c>Last-Event-ID</c>
/// first replays, oldest first, what the caller missed (up to the replay limit), then goes live with no gap and no
/// duplicate: the live subscription opens before the replay query, and live events already replayed are skipped.
/// So are late signals of notifications stored before the stream opened (a replica's LISTEN connection hears a
/// commit some time after it; the caller already has those, by the replay or as what its Last-Event-ID covers).
/// A <c>: keep-alive</c> comment goes out whenever the stream was quiet for the keep-alive interval.
/// </summary>
public static class NotificationStreamEndpoint
{
    public const string LastEventIdHeader = "Last-Event-ID";
    public const string KeepAliveComment = ": keep-alive\n\n";

    public static async Task StreamAsync(
        HttpContext http, NotificationStreamHub hub, NotificationsDbContext db, IOptions<NotificationStreamOptions> options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(options);
        var cancellationToken = http.RequestAborted;
        if (http.User.GetUserId() is not Guid userId)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        // Subscribe first: whatever is stored from now on reaches this subscription, so the replay query below can
        // only overlap with it (deduplicated by id), never leave a gap.
        using var subscription = hub.Subscribe(userId);
        var settings = options.Value;
        IReadOnlyList<NotificationView> replay = [];
        try
        {
            if (Guid.TryParse(http.Request.Headers[LastEventIdHeader].ToString(), out var lastEventId))
            {
                replay = await db.ReadAfterAsync(userId, lastEventId, settings.ReplayLimit, cancellationToken) ?? [];
            }

            // Everything stored by now is replayed or already the caller's: only what is stored later is live.
            var known = new HashSet<Guid>(await db.ReadStoredIdsSinceAsync(
                userId, time.GetUtcNow() - settings.LateSignalWindow, settings.ReplayLimit, cancellationToken));

            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await http.Response.WriteAsync($": connected replica={hub.ReplicaId}\n\n", cancellationToken);
            foreach (var notification in replay)
            {
                known.Add(notification.Id);
                await WriteEventAsync(http.Response, notification, cancellationToken);
            }

            await http.Response.Body.FlushAsync(cancellationToken);
            await StreamLiveAsync(http.Response, subscription, known, settings.KeepAliveInterval, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task StreamLiveAsync(
        HttpResponse response, NotificationStreamHub.Subscription subscription, HashSet<Guid> known, TimeSpan keepAlive,
        CancellationToken cancellationToken)
    {
        var reader = subscription.Reader;
        var nextKeepAlive = Environment.TickCount64 + (long)keepAlive.TotalMilliseconds;
        while (!cancellationToken.IsCancellationRequested)
        {
            var untilKeepAlive = nextKeepAlive - Environment.TickCount64;
            if (untilKeepAlive <= 0)
            {
                // Due even while events flow: a comment line at least every interval, whatever else is sent.
                await response.WriteAsync(KeepAliveComment, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                nextKeepAlive = Environment.TickCount64 + (long)keepAlive.TotalMilliseconds;
                continue;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(untilKeepAlive));
            bool available;
            try
            {
                available = await reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            if (!available)
            {
                return;
            }

            while (reader.TryRead(out var notification))
            {
                if (known.Count > 0 && known.Remove(notification.Id))
                {
                    continue;
                }

                await WriteEventAsync(response, notification, cancellationToken);
            }

            await response.Body.FlushAsync(cancellationToken);
        }
    }

    private static Task WriteEventAsync(HttpResponse response, NotificationView notification, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(notification, NotifierJson.Default.NotificationView);
        return response.WriteAsync($"id: {notification.Id}\nevent: notification\ndata: {data}\n\n", cancellationToken);
    }
}
