using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskFlow.Gateway.Health;

/// <summary>
/// The public port's <c>/health</c>: readiness of the gateway itself (its own checks only, Redis Degraded-not-Unhealthy),
/// answered with the status alone — 200 <c>{"status":"Healthy"}</c> (or Degraded), 503 when Unhealthy — so nothing
/// internal leaks. The detailed report, and <c>/health/services</c>, answer on the management port only.
/// </summary>
public sealed class PublicHealthMiddleware(RequestDelegate next, HealthCheckService health, IConfiguration configuration)
{
    private readonly int? _managementPort = configuration.GetValue<int?>("Management:Port");

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath) || context.Connection.LocalPort == _managementPort)
        {
            await next(context);
            return;
        }

        if (path.Value?.TrimEnd('/') != Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var report = await health.CheckHealthAsync(context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        await context.Response.WriteAsJsonAsync(new PublicHealthStatus(report.Status.ToString()), context.RequestAborted);
    }
}
