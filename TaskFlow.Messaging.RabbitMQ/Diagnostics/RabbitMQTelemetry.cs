namespace TaskFlow.Messaging.Diagnostics;

/// <summary>
/// The RabbitMQ spans on <see cref="MessagingTelemetry.ActivitySource"/> (OpenTelemetry messaging conventions): the
/// producer span of a publish and the consumer span of a delivery, parented to the publish so both form one trace.
/// </summary>
internal static class RabbitMQTelemetry
{
    public static Activity? StartPublish(string eventType, string eventId, string? subject, ActivityContext parent)
    {
        var activity = MessagingTelemetry.ActivitySource.StartActivity($"{eventType} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "publish");
        activity?.SetTag("messaging.destination.name", MessagingTopology.ExchangeName);
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

    public static Activity? StartProcess(string queue, string? eventType, string? eventId, ActivityContext parent)
    {
        // The consumer span is a child of the publish span (same trace), and also links to it, as the messaging
        // conventions suggest.
        ActivityLink[]? links = parent == default ? null : [new ActivityLink(parent)];
        var activity = MessagingTelemetry.ActivitySource.StartActivity($"{eventType ?? "message"} process", ActivityKind.Consumer, parent, links: links);
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
