using CloudNative.CloudEvents;
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
    public static async Task<OutboxPublishResult> PublishStoredAsync(IIntegrationEventPublisher publisher, string storedEnvelope, CancellationToken cancellationToken)
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

        try
        {
            await publisher.PublishAsync(envelope, cancellationToken);
            return new(OutboxPublishOutcome.Published, null);
        }
        catch (InvalidIntegrationEventException ex)
        {
            return new(OutboxPublishOutcome.Failed, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return new(OutboxPublishOutcome.Retry, $"{ex.GetType().Name}: {ex.Message}");
        }
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
