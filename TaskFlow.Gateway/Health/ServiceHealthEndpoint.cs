using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy;

namespace TaskFlow.Gateway.Health;

/// <summary>
/// <c>GET /health/services</c> on the management port: per routed service, its replicas and whether the gateway
/// currently has a healthy one (from YARP's active and passive health checks). Not part of readiness: a service
/// without healthy replicas gets 503 on its own routes while the gateway stays ready.
/// </summary>
public static class ServiceHealthEndpoint
{
    public const string Path = "/health/services";

    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Report).ExcludeFromDescription().DisableHttpMetrics();
        return app;
    }

    private static Results<Ok<ServiceHealthReport[]>, NotFound> Report(HttpContext context, IProxyStateLookup proxy, IConfiguration configuration)
    {
        // The public port never gets here (PublicHealthMiddleware answers /health/* there); this is a second lock.
        if (configuration.GetValue<int?>("Management:Port") is int port && context.Connection.LocalPort != port)
        {
            return TypedResults.NotFound();
        }

        var services = proxy.GetClusters()
            .OrderBy(c => c.ClusterId, StringComparer.Ordinal)
            .Select(c =>
            {
                var all = c.DestinationsState.AllDestinations;
                var available = c.DestinationsState.AvailableDestinations.Count;
                return new ServiceHealthReport(
                    c.ClusterId,
                    available > 0 ? "Healthy" : "Unhealthy",
                    all.Count,
                    available,
                    [.. all.Select(d => new ReplicaHealthReport(d.Model.Config.Address, d.Health.Active.ToString(), d.Health.Passive.ToString()))]);
            })
            .ToArray();
        context.Response.Headers.CacheControl = "no-store, no-cache";
        return TypedResults.Ok(services);
    }
}
