using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace TaskFlow.Gateway.Health;

/// <summary>
/// YARP's default destination policy ("HealthyOrPanic") keeps sending requests to unhealthy destinations when none is
/// healthy, so a service that is down makes its clients hang until a timeout. Every cluster here uses
/// "HealthyAndUnknown" instead: no healthy replica means no destination, and <see cref="Middleware.ServiceUnavailableMiddleware"/>
/// answers 503 with Retry-After at once.
/// </summary>
public sealed class NoPanicRoutingConfigFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.HealthCheck?.AvailableDestinationsPolicy is { Length: > 0 })
        {
            return ValueTask.FromResult(cluster);
        }

        var health = (cluster.HealthCheck ?? new HealthCheckConfig()) with
        {
            AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyAndUnknown,
        };
        return ValueTask.FromResult(cluster with { HealthCheck = health });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);
}
