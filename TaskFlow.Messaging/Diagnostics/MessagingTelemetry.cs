using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskFlow.Messaging.Diagnostics;

/// <summary>Spans (publish → process in one trace) and metrics of the messaging library.</summary>
public static class MessagingTelemetry
{
    /// <summary>Registered by ServiceDefaults' tracing.</summary>
    public const string ActivitySourceName = "TaskFlow.Messaging";

    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    internal static Meter Meter { get; } = new("TaskFlow.Messaging");

    internal static Counter<long> Published { get; } = Meter.CreateCounter<long>("taskflow.messaging.published", description: "Events confirmed by the broker.");

    internal static Counter<long> Consumed { get; } = Meter.CreateCounter<long>("taskflow.messaging.consumed", description: "Events handled and acknowledged.");

    internal static Counter<long> DeadLettered { get; } = Meter.CreateCounter<long>("taskflow.messaging.dead_lettered", description: "Messages sent to a dead-letter queue.");

    internal static Counter<long> Retried { get; } = Meter.CreateCounter<long>("taskflow.messaging.retried", description: "Messages scheduled for another attempt.");

    internal static Activity? StartPublish(string eventType, string eventId, string? subject, ActivityContext parent)
    {
        var activity = ActivitySource.StartActivity($"{eventType} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "publish");
        activity?.SetTag("messaging.destination.name", Publishing.MessagingTopology.ExchangeName);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", eventType);
        activity?.SetTag("messaging.message.id", eventId);
        activity?.SetTag("cloudevents.event_type", eventType);
        activity?.SetTag("cloudevents.event_id", eventId);
        if (subject is not null)
        {
            activity?.SetTag("cloudevents.event_subject", subject);
        }

        return activity;
    }

    internal static Activity? StartProcess(string queue, string? eventType, string? eventId, ActivityContext parent)
    {
        // The consumer span is a child of the publish span (same trace), and also links to it, as the messaging
        // conventions suggest.
        ActivityLink[]? links = parent == default ? null : [new ActivityLink(parent)];
        var activity = ActivitySource.StartActivity($"{eventType ?? "message"} process", ActivityKind.Consumer, parent, links: links);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.consumer.group.name", queue);
        if (eventId is not null)
        {
            activity?.SetTag("messaging.message.id", eventId);
            activity?.SetTag("cloudevents.event_id", eventId);
        }

        if (eventType is not null)
        {
            activity?.SetTag("cloudevents.event_type", eventType);
        }

        return activity;
    }
}
