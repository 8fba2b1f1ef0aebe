using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Outbox.EfCore;
using TaskFlow.Messaging.Outbox.MongoDB;

namespace TaskFlow.Messaging.Health;

// Readiness contributions. The broker connection itself is checked by Aspire.RabbitMQ.Client's own check, so these
// report Degraded (still 200, still serving) rather than Unhealthy: a service whose relay lags or whose consumer is
// reconnecting keeps answering requests, and its events are not lost.

internal sealed class ConsumerHealthCheck(IntegrationEventConsumerOptions options, ConsumerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Consuming
            ? HealthCheckResult.Healthy($"Consuming {options.QueueName}.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"Not consuming {options.QueueName} (broker unreachable or reconnecting)."));
}

internal sealed class EfCoreOutboxHealthCheck<TDbContext>(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options) : IHealthCheck where TDbContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var oldest = await db.Set<OutboxMessage>()
            .Where(m => m.PublishedAt == null && m.FailedAt == null)
            .OrderBy(m => m.CreatedAt)
            .Select(m => (DateTimeOffset?)m.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return OutboxLag.Check(context, oldest, options.Value.OutboxHealthLagThreshold);
    }
}

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

internal sealed class MongoOutboxHealthCheck(MongoOutboxRelay relay, IOptions<MessagingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var oldest = await relay.OldestPendingAsync(cancellationToken);
        return OutboxLag.Check(context, oldest is null ? null : new DateTimeOffset(oldest.Value, TimeSpan.Zero), options.Value.OutboxHealthLagThreshold);
    }
}
