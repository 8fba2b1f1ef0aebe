using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskFlow.Gateway.Health;

namespace TaskFlow.Gateway.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Services the gateway routes to; each one's health is part of the gateway's readiness.</summary>
    public static readonly string[] Downstream = ["users", "tasks", "notifier"];

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis");

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        builder.Services.AddHttpClient(DownstreamHealthCheck.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(5));
        var health = builder.Services.AddHealthChecks();
        foreach (var service in Downstream)
        {
            health.Add(new HealthCheckRegistration(
                $"downstream-{service}",
                sp => new DownstreamHealthCheck(sp.GetRequiredService<IHttpClientFactory>(), service),
                failureStatus: HealthStatus.Unhealthy,
                tags: ["ready"],
                timeout: TimeSpan.FromSeconds(6)));
        }

        return builder;
    }
}
