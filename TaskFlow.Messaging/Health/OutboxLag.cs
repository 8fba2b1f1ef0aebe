using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskFlow.Messaging.Health;

/// <summary>
/// The verdict of an outbox relay's readiness check, shared by the EF Core and MongoDB relays. A lagging relay reports
/// the registration's failure status (Degraded): the service keeps answering requests and its events are not lost.
/// </summary>
internal static class OutboxLag
{
    public static HealthCheckResult Check(HealthCheckContext context, DateTimeOffset? oldest, TimeSpan threshold)
    {
        if (oldest is null)
        {
            return HealthCheckResult.Healthy("Outbox is empty.");
        }

        var lag = DateTimeOffset.UtcNow - oldest.Value;
        return lag <= threshold
            ? HealthCheckResult.Healthy($"Oldest unpublished event is {lag.TotalSeconds:0}s old.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"Oldest unpublished event is {lag.TotalSeconds:0}s old (broker down?).");
    }
}
