using System.Net.Mime;
using System.Reflection;
using CloudNative.CloudEvents.SystemTextJson;

namespace TaskFlow.Messaging.Envelope;

/// <summary>
/// The wire format of every TaskFlow message: a CloudEvents 1.0 structured-mode JSON envelope (id, source, type,
/// time, subject, datacontenttype, dataschema, data) with the W3C <c>traceparent</c>/<c>tracestate</c> extension
/// attributes, so a consumer continues the publisher's trace.
/// </summary>
public static class IntegrationEventEnvelope
{
    public const string MediaType = "application/cloudevents+json";

    /// <summary>W3C trace context of the span that published the event (CloudEvents distributed-tracing extension).</summary>
    public static CloudEventAttribute TraceParentAttribute { get; } = CloudEventAttribute.CreateExtension("traceparent", CloudEventAttributeType.String);

    public static CloudEventAttribute TraceStateAttribute { get; } = CloudEventAttribute.CreateExtension("tracestate", CloudEventAttributeType.String);

    private static readonly CloudEventAttribute[] Extensions = [TraceParentAttribute, TraceStateAttribute];

    /// <summary>camelCase, as the API and the schemas are.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    private static readonly JsonEventFormatter Formatter = new(SerializerOptions, default);

    /// <summary>The default CloudEvents <c>source</c> of this process, e.g. <c>/taskflow/tasks</c> for TaskFlow.Tasks.</summary>
    public static string DefaultSource { get; } = "/taskflow/" +
        (Assembly.GetEntryAssembly()?.GetName().Name ?? "unknown").Replace("TaskFlow.", "", StringComparison.OrdinalIgnoreCase).ToLowerInvariant();

    /// <summary>
    /// Wraps an event in a new envelope with a fresh (time-ordered) id. The trace context defaults to the current
    /// activity, i.e. the request that caused the event, so the later publish span joins the request's trace.
    /// </summary>
    public static CloudEvent Create<TEvent>(TEvent data, string subject, string? source = null, Guid? id = null, ActivityContext? traceContext = null)
        where TEvent : class, IIntegrationEvent
    {
        ArgumentNullException.ThrowIfNull(data);
        var descriptor = IntegrationEventRegistry.Get(data.GetType());
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, Extensions)
        {
            Id = (id ?? Guid.CreateVersion7()).ToString(),
            Source = new Uri(source ?? DefaultSource, UriKind.RelativeOrAbsolute),
            Type = descriptor.EventType,
            Time = data.OccurredAt,
            Subject = subject,
            DataContentType = MediaTypeNames.Application.Json,
            DataSchema = descriptor.DataSchema,
            Data = JsonSerializer.SerializeToElement(data, descriptor.ClrType, SerializerOptions),
        };
        SetTraceContext(cloudEvent, traceContext ?? Activity.Current?.Context ?? default);
        return cloudEvent;
    }

    /// <summary>Sets (or clears, for a default context) the traceparent/tracestate extension attributes.</summary>
    public static void SetTraceContext(CloudEvent cloudEvent, ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (context == default)
        {
            cloudEvent[TraceParentAttribute] = null;
            cloudEvent[TraceStateAttribute] = null;
            return;
        }

        var flags = context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00";
        cloudEvent[TraceParentAttribute] = $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{flags}";
        cloudEvent[TraceStateAttribute] = string.IsNullOrEmpty(context.TraceState) ? null : context.TraceState;
    }

    /// <summary>The trace context carried by the envelope, or default when it has none (or an invalid one).</summary>
    public static ActivityContext GetTraceContext(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return cloudEvent[TraceParentAttribute] is string traceParent &&
            ActivityContext.TryParse(traceParent, cloudEvent[TraceStateAttribute] as string, isRemote: true, out var context)
            ? context
            : default;
    }

    public static string? GetTraceParent(CloudEvent cloudEvent) => cloudEvent[TraceParentAttribute] as string;

    /// <summary>Structured-mode JSON bytes of the envelope.</summary>
    public static ReadOnlyMemory<byte> Encode(CloudEvent cloudEvent) => Formatter.EncodeStructuredModeMessage(cloudEvent, out _);

    /// <summary>Structured-mode JSON text of the envelope (what the outboxes store).</summary>
    public static string EncodeToString(CloudEvent cloudEvent) => System.Text.Encoding.UTF8.GetString(Encode(cloudEvent).Span);

    /// <summary>Parses a structured-mode envelope; throws on anything that is not a valid CloudEvent.</summary>
    public static CloudEvent Decode(ReadOnlyMemory<byte> body) =>
        Formatter.DecodeStructuredModeMessage(body, new ContentType(MediaType), Extensions);

    public static CloudEvent Decode(string json) => Decode(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Parses and checks an incoming message: a valid CloudEvent with a UUID id, a registered type, JSON data that
    /// validates against the type's schema and deserializes to its record. Never throws for bad input.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out IncomingIntegrationEvent? incoming, [NotNullWhen(false)] out string? error)
    {
        incoming = null;
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = Decode(body);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            error = "Not a CloudEvents JSON envelope: " + ex.Message;
            return false;
        }

        if (!Guid.TryParse(cloudEvent.Id, out var eventId))
        {
            error = $"Event id '{cloudEvent.Id}' is not a UUID.";
            return false;
        }

        if (cloudEvent.Type is null || !IntegrationEventRegistry.TryGet(cloudEvent.Type, out var descriptor))
        {
            error = $"Unknown event type '{cloudEvent.Type}'.";
            return false;
        }

        if (cloudEvent.Data is not JsonElement data)
        {
            error = "The envelope has no JSON data.";
            return false;
        }

        var validation = Schemas.IntegrationEventSchemas.Validate(descriptor.EventType, data);
        if (!validation.IsValid)
        {
            error = "Schema validation failed: " + validation;
            return false;
        }

        object? payload;
        try
        {
            payload = data.Deserialize(descriptor.ClrType, SerializerOptions);
        }
        catch (JsonException ex)
        {
            error = "Data does not deserialize: " + ex.Message;
            return false;
        }

        if (payload is not IIntegrationEvent typed)
        {
            error = "Data is null.";
            return false;
        }

        incoming = new IncomingIntegrationEvent(eventId, descriptor, cloudEvent, typed);
        error = null;
        return true;
    }
}
