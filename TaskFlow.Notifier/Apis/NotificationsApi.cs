using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TaskFlow.Notifier.Extensions;
using TaskFlow.Notifier.Infrastructure;
using TaskFlow.Notifier.Model;

namespace TaskFlow.Notifier.Apis;

/// <summary>The caller's notification inbox and its live stream. Every route needs a bearer token; user id = <c>sub</c>.</summary>
public static class NotificationsApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/notifications")
            .RequireAuthorization()
            .WithTags("Notifications")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/", ListAsync)
            .WithName("ListNotifications")
            .WithSummary("List the caller's notifications")
            .WithDescription("Newest first, the caller's own only. `unread=true` returns only unread ones; `limit` is 1–100 (default 20); pass `nextCursor` back as `cursor` for the next page.");

        api.MapPost("/{id:guid}/read", MarkReadAsync)
            .WithName("MarkNotificationRead")
            .WithSummary("Mark a notification as read")
            .WithDescription("Idempotent: a notification already read keeps its first read time. 404 when the notification is not the caller's.");

        api.MapGet("/stream", StreamAsync)
            .WithName("StreamNotifications")
            .WithSummary("Live stream of new notifications")
            .WithDescription("Server-sent events (`text/event-stream`): one `notification` event per new notification for the caller, whichever replica stored it; a comment line every 15 s keeps the connection alive.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

        return app;
    }

    public sealed record ListQuery(
        [property: FromQuery(Name = "unread")] string? Unread,
        [property: FromQuery(Name = "limit")] string? Limit,
        [property: FromQuery(Name = "cursor")] string? Cursor);

    public static async Task<Results<Ok<NotificationPage>, ValidationProblem, UnauthorizedHttpResult>> ListAsync(
        [AsParameters] ListQuery query,
        ClaimsPrincipal user,
        NotificationsDbContext db,
        CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        var errors = new Dictionary<string, string[]>();
        bool? unread = null;
        if (query.Unread is not null)
        {
            if (bool.TryParse(query.Unread, out var flag))
            {
                unread = flag;
            }
            else
            {
                errors["unread"] = ["Must be true or false."];
            }
        }

        var limit = DefaultLimit;
        if (query.Limit is not null &&
            (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be an integer from 1 to {MaxLimit}."];
        }

        InboxCursor? cursor = null;
        if (query.Cursor is not null)
        {
            if (InboxCursor.TryDecode(query.Cursor, out var decoded))
            {
                cursor = decoded;
            }
            else
            {
                errors["cursor"] = ["Not a cursor returned by this API."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await db.ReadInboxPageAsync(userId, unread == true, limit, cursor, cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<NoContent, NotFound, UnauthorizedHttpResult>> MarkReadAsync(
        Guid id,
        ClaimsPrincipal user,
        NotificationsDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (user.GetUserId() is not Guid userId)
        {
            return TypedResults.Unauthorized();
        }

        var now = time.GetUtcNow();
        var updated = await db.Notifications
            .Where(n => n.Id == id && n.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), cancellationToken);
        return updated == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    public static async Task StreamAsync(HttpContext http, NotificationStreamHub hub)
    {
        var cancellationToken = http.RequestAborted;
        if (http.User.GetUserId() is not Guid userId)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        // Subscribe before the headers go out: once a client sees the response, nothing new can be missed.
        using var subscription = hub.Subscribe(userId);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await http.Response.WriteAsync($": connected replica={hub.ReplicaId}\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);

        var reader = subscription.Reader;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(Heartbeat);
                bool available;
                try
                {
                    available = await reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": ping\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                if (!available)
                {
                    return;
                }

                while (reader.TryRead(out var notification))
                {
                    var data = JsonSerializer.Serialize(notification, NotificationSignal.JsonOptions);
                    await http.Response.WriteAsync($"id: {notification.Id}\nevent: notification\ndata: {data}\n\n", cancellationToken);
                }

                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
