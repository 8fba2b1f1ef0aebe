namespace Microsoft.Extensions.Hosting;

/// <summary>
/// For services that keep working without Redis (a cache, rate-limit counters with a local fallback): the Aspire
/// Redis client, with a health check that reports <see cref="HealthStatus.Degraded"/> instead of Unhealthy, so an
/// outage shows in /health without taking the service out of rotation.
/// </summary>
public static class OptionalRedisExtensions
{
    public static IHostApplicationBuilder AddOptionalRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddTaskFlowRedisClient(connectionName, withHealthCheck: false);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            sp => new OptionalRedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            HealthStatus.Degraded,
            ["ready"],
            TimeSpan.FromSeconds(3)));
        return builder;
    }

    private sealed class OptionalRedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!redis.IsConnected)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected; working without it.");
            }

            try
            {
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.0} ms.");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer ping; working without it.");
            }
        }
    }
}
