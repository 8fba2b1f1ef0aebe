using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using TaskFlow.ServiceDefaults.Paging;

namespace TaskFlow.Notifier.Apis;

/// <summary>
/// The stream's OpenAPI description: its events are <em>named</em> (<c>event: notification</c>), so a browser
/// <c>EventSource</c> must <c>addEventListener("notification", ...)</c>: <c>onmessage</c> only sees unnamed events.
/// The wire format is shown as an example, and <c>Last-Event-ID</c> as the parameter it is.
/// </summary>
public static class NotificationStreamDocs
{
    public const string EventName = "notification";

    public const string ExampleNotificationId = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

    /// <summary>A well-formed <c>cursor</c> (as <c>nextCursor</c> values look): later than every notification, so its page (newest first) starts at the newest.</summary>
    public static readonly string ExampleCursor = new TimeOrderedCursor(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Empty).Encode();

    public const string Description =
        "Server-sent events (`text/event-stream`): one event named `notification` per new notification for the caller, whichever replica stored it, " +
        "with `id:` = the notification id and `data:` = the Notification JSON. The events are named, so listen with " +
        "`new EventSource(url).addEventListener('notification', e => JSON.parse(e.data))`; `onmessage` receives nothing. " +
        "Reconnect with `Last-Event-ID` to first get, oldest first, the notifications created after that one (up to 1000), then the live ones, with no gap and no duplicate. " +
        "A `: keep-alive` comment line at least every 15 s keeps proxies from closing the connection. At most 5 streams per user at once (a 6th: 429).";

    public const string ExampleStream =
        ": connected replica=notifier-1\n\n" +
        "id: 6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f\n" +
        "event: notification\n" +
        "data: {\"id\":\"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f\",\"type\":\"task.assigned\",\"taskId\":\"0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a\"," +
        "\"message\":\"You were assigned \\\"Write the release notes\\\"\",\"createdAt\":\"2026-12-06T12:00:00Z\",\"readAt\":null}\n\n" +
        ": keep-alive\n\n";

    public static Task DescribeAsync(OpenApiOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = NotificationStreamEndpoint.LastEventIdHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = "The `id:` of the last event received (EventSource sends it by itself on a reconnect): the stream first replays what came after it.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            Example = JsonValue.Create(ExampleNotificationId),
        });
        operation.Responses ??= [];
        if (!operation.Responses.TryGetValue("200", out var found) || found is not OpenApiResponse ok)
        {
            ok = new OpenApiResponse();
            operation.Responses["200"] = ok;
        }

        ok.Description = $"The event stream: `event: {EventName}` events (with `id:` and `data:`) and comment lines.";
        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        ok.Content["text/event-stream"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = $"Events named `{EventName}`; `data:` is one Notification as JSON." },
            Example = JsonValue.Create(ExampleStream),
        };

        return Task.CompletedTask;
    }
}
