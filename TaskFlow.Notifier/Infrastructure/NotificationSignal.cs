namespace TaskFlow.Notifier.Infrastructure;

/// <summary>
/// The payload of one PostgreSQL NOTIFY: who gets which new notification, and the trace (W3C traceparent) of the
/// event that created it, so the push to a live stream joins that trace.
/// </summary>
public sealed record NotificationSignal(Guid UserId, NotificationView Notification, string? TraceParent = null)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string ToPayload() => JsonSerializer.Serialize(this, JsonOptions);
}
