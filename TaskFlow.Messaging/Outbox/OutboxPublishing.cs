using TaskFlow.Messaging.Diagnostics;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Publishing;

namespace TaskFlow.Messaging.Outbox;

/// <summary>What happened to one staged event in a relay round.</summary>
internal enum OutboxPublishOutcome
{
    Published,

    /// <summary>Transient (broker down, no confirm): try again after a back-off.</summary>
    Retry,

    /// <summary>The event can never be published (unparseable or schema-invalid): a bug, logged and parked.</summary>
    Failed,
}

internal readonly record struct OutboxPublishResult(OutboxPublishOutcome Outcome, string? Error);

/// <summary>Shared by the EF Core and MongoDB relays: decode the stored envelope, publish with confirms, classify the failure.</summary>
internal static class OutboxPublishing
{
    public const string RelaySpanSuffix = " relay";

    /// <summary>
    /// Publishes one stored event under a relay span: a child of the request that staged the event (the trace context
    /// captured in its envelope) and linked to it, so the request, the relay, the publish and the consumer form one
    /// trace. The publish span is the relay span's child.
    /// </summary>
    public static async Task<OutboxPublishResult> PublishStoredAsync(IIntegrationEventPublisher publisher, string storedEnvelope, string outbox, CancellationToken cancellationToken)
    {
        CloudEvent envelope;
        try
        {
            envelope = IntegrationEventEnvelope.Decode(storedEnvelope);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return new(OutboxPublishOutcome.Failed, "Stored envelope is not a CloudEvent: " + ex.Message);
        }

        using var relay = StartRelay(envelope, outbox);
        if (relay is not null)
        {
            IntegrationEventEnvelope.SetTraceContext(envelope, relay.Context);
        }

        try
        {
            await publisher.PublishAsync(envelope, cancellationToken);
            return new(OutboxPublishOutcome.Published, null);
        }
        catch (InvalidIntegrationEventException ex)
        {
            relay?.SetStatus(ActivityStatusCode.Error, "invalid event");
            return new(OutboxPublishOutcome.Failed, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            relay?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return new(OutboxPublishOutcome.Retry, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static Activity? StartRelay(CloudEvent envelope, string outbox)
    {
        var staged = IntegrationEventEnvelope.GetTraceContext(envelope);
        ActivityLink[]? links = staged == default ? null : [new ActivityLink(staged)];
        var activity = MessagingTelemetry.ActivitySource.StartActivity(
            (envelope.Type ?? "event") + RelaySpanSuffix, ActivityKind.Internal, staged, links: links);
        activity?.SetTag("taskflow.outbox", outbox);
        activity?.SetTag("cloudevents.event_id", envelope.Id);
        activity?.SetTag("cloudevents.event_type", envelope.Type);
        return activity;
    }

    public static TimeSpan Backoff(int attempts, MessagingOptions options)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        var delay = TimeSpan.FromMilliseconds(options.OutboxInitialBackoff.TotalMilliseconds * factor);
        return delay < options.OutboxMaxBackoff ? delay : options.OutboxMaxBackoff;
    }

    public static string Truncate(string? text, int max) => text is null || text.Length <= max ? text ?? "" : text[..max];
}

/// <summary>Health state of one relay, read by its health check.</summary>
internal class OutboxRelayState
{
    public DateTimeOffset? LastPublishFailureAt { get; set; }

    public string? LastPublishError { get; set; }

    public DateTimeOffset? LastRoundAt { get; set; }

    public string? LastRoundError { get; set; }
}

/// <summary>The state of the relay of one DbContext type.</summary>
internal sealed class OutboxRelayState<TOwner> : OutboxRelayState;
