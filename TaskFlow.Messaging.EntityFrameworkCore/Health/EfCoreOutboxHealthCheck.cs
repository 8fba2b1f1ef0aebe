namespace TaskFlow.Messaging.Health;

/// <summary>Degraded while the oldest unpublished row of <typeparamref name="TDbContext"/>'s outbox is older than the threshold.</summary>
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
