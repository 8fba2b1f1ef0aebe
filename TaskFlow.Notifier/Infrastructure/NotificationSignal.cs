namespace TaskFlow.Notifier.Infrastructure;

/// <summary>
/// One new notification in a PostgreSQL NOTIFY: who gets it, and the trace (W3C traceparent) of the event that created
/// it, so the push to a live stream joins that trace. A NOTIFY carries a JSON array of these (one batch's, in chunks);
/// a single object (what replicas before batching sent) is read too.
/// </summary>
public sealed record NotificationSignal(Guid UserId, NotificationView Notification, string? TraceParent = null)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string ToPayload() => JsonSerializer.Serialize(this, NotifierJson.Default.NotificationSignal);

    /// <summary>The signal of <paramref name="notification"/>, serialised.</summary>
    public static string Payload(Notification notification, string? traceParent) =>
        new NotificationSignal(notification.UserId, NotificationView.From(notification), traceParent).ToPayload();

    /// <summary>The signals of one NOTIFY payload: a JSON array, or one object.</summary>
    public static NotificationSignal[] Read(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var array = payload.AsSpan().TrimStart().StartsWith("[", StringComparison.Ordinal);
        return array
            ? JsonSerializer.Deserialize(payload, NotifierJson.Default.NotificationSignalArray) ?? []
            : JsonSerializer.Deserialize(payload, NotifierJson.Default.NotificationSignal) is { } one ? [one] : [];
    }
}
