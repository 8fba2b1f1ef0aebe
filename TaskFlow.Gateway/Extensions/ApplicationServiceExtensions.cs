using System.Net;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskFlow.Gateway.Health;
using TaskFlow.Gateway.Middleware;
using TaskFlow.Gateway.RateLimiting;

namespace TaskFlow.Gateway.Extensions;

public static class ApplicationServiceExtensions
{
    public const string CorsPolicyName = "taskflow-clients";
    public const string StreamTimeoutPolicy = "stream";

    /// <summary>Services the gateway routes to; each one's health is part of the gateway's readiness.</summary>
    public static readonly string[] Downstream = ["users", "tasks", "notifier"];

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Rate limits fall back to per-replica counters without Redis, so its outage only degrades the gateway.
        builder.AddOptionalRedisClient("redis");
        builder.AddTaskFlowAuthentication();
        builder.AddGatewayRateLimiting();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        builder.Services.AddRequestTimeouts(options =>
        {
            options.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(30), TimeoutStatusCode = StatusCodes.Status504GatewayTimeout };
        });

        var origins = builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicyName, policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", RequestIdMiddleware.HeaderName)
            .WithExposedHeaders("ETag", "Location", "Retry-After", RequestIdMiddleware.HeaderName)));

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Client IPs (rate-limit partitions) come from X-Forwarded-For only when a configured proxy sent it.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in builder.Configuration.GetSection("Gateway:TrustedProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });

        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = RequestBodyLimitMiddleware.MaxBodyBytes;
                kestrel.AddServerHeader = false;
            });

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

    /// <summary>The public pipeline: request id, security headers, limits, CORS, auth, rate limits, then the proxy.</summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<ViaHeaderMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseCors(CorsPolicyName);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        return app;
    }

    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(IdempotentRetryMiddleware.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
