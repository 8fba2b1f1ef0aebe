namespace Microsoft.Extensions.Hosting;

/// <summary>The Aspire Redis client as every TaskFlow service registers it.</summary>
public static class RedisClientExtensions
{
    /// <summary>
    /// Registers <see cref="IConnectionMultiplexer"/> for <paramref name="connectionName"/>. Its socket I/O runs on the
    /// .NET thread pool instead of StackExchange.Redis' own dedicated threads, whose scheduling was 12–20% of the gateway's
    /// and Tasks' managed CPU under load on two cores (docs/BENCHMARKS.md).
    /// </summary>
    public static IHostApplicationBuilder AddTaskFlowRedisClient(this IHostApplicationBuilder builder, string connectionName, bool withHealthCheck = true)
    {
        builder.AddRedisClient(connectionName,
            settings => settings.DisableHealthChecks = !withHealthCheck,
            options => options.SocketManager = SocketManager.ThreadPool);
        return builder;
    }
}
