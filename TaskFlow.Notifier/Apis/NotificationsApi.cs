using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskFlow.ServiceDefaults.Paging;

namespace TaskFlow.Notifier.Apis;

/// <summary>The caller's notification inbox and its live stream. Every route needs a bearer token; user id = <c>sub</c>.</summary>
public static class NotificationsApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/notifications")
            .RequireAuthorization()
            .WithTags("Notifications")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/", ListAsync)
            .WithName("ListNotifications")
            .WithParameterExample("unread", "true")
            .WithParameterExample("limit", "20")
            .WithParameterExample("cursor", NotificationStreamDocs.ExampleCursor)
            .WithSummary("List the caller's notifications")
            .WithDescription("Newest first, the caller's own only. `unread=true` returns only unread ones; `limit` is 1–100 (default 20); pass `nextCursor` back as `cursor` for the next page.");

        api.MapPost("/{id:guid}/read", MarkReadAsync)
            .WithIdempotency()
            .WithParameterExample("id", NotificationStreamDocs.ExampleNotificationId)
            .WithName("MarkNotificationRead")
            .WithSummary("Mark a notification as read")
            .WithDescription("Idempotent: a notification already read keeps its first read time. 404 when the notification is not the caller's.");

        api.MapGet("/stream", NotificationStreamEndpoint.StreamAsync)
            .WithName("StreamNotifications")
            .WithSummary("Live stream of new notifications")
            .WithDescription(NotificationStreamDocs.Description)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .AddOpenApiOperationTransformer((operation, _, _) => NotificationStreamDocs.DescribeAsync(operation));

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

        TimeOrderedCursor? cursor = null;
        if (query.Cursor is not null)
        {
            if (TimeOrderedCursor.TryDecode(query.Cursor, out var decoded))
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
}
