namespace TaskFlow.Messaging.Health;

/// <summary>Degraded while the oldest pending event of the relay's collection is older than the threshold.</summary>
internal sealed class MongoOutboxHealthCheck(MongoOutboxRelay relay, IOptions<MessagingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var oldest = await relay.OldestPendingAsync(cancellationToken);
        return OutboxLag.Check(context, oldest is null ? null : new DateTimeOffset(oldest.Value, TimeSpan.Zero), options.Value.OutboxHealthLagThreshold);
    }
}
