using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpOverrides;
using TaskFlow.Gateway.Forwarding;
using TaskFlow.Gateway.Health;
using TaskFlow.Gateway.Middleware;
using TaskFlow.Gateway.RateLimiting;
using TaskFlow.Gateway.Revocation;
using TaskFlow.Gateway.Routing;
using TaskFlow.Gateway.Streams;

namespace TaskFlow.Gateway.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Rate limits fall back to per-replica counters without Redis, so its outage only degrades the gateway.
        builder.AddOptionalRedisClient("redis");
        builder.AddTaskFlowAuthentication();
        builder.AddGatewayRateLimiting();

        // Revocation at the edge: the shared list in Redis, followed over pub/sub, checked after signature validation.
        builder.Services.AddOptions<RevocationOptions>().BindConfiguration(RevocationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RevokedTokenCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RevokedTokenCache>());
        builder.Services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, RevocationCheck>();

        // Notification streams: a slot per stream (shared across replicas), closed by the same revocation signal.
        builder.Services.AddOptions<StreamLimitOptions>().BindConfiguration(StreamLimitOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.RenewEvery < o.LeaseLifetime, "Gateway:Streams:RenewEvery must be shorter than LeaseLifetime.").ValidateOnStart();
        builder.Services.AddSingleton<StreamSlotStore>();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddConfigFilter<NoPanicRoutingConfigFilter>();

        builder.Services.AddRequestTimeouts(options =>
        {
            options.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(30), TimeoutStatusCode = StatusCodes.Status504GatewayTimeout };
        });

        builder.AddGatewayCors();

        // Client IPs (rate-limit partitions) come from X-Forwarded-For only when a configured proxy or network sent it.
        builder.Services.AddOptions<TrustedProxyOptions>()
            .BindConfiguration(TrustedProxyOptions.SectionName)
            .Validate(o => o.IsValid(out _), "Gateway:TrustedProxies must hold IP addresses and Gateway:TrustedNetworks CIDR networks.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IPostConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersTrust>();

        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = RequestBodyLimitMiddleware.MaxBodyBytes;
                kestrel.AddServerHeader = false;
            });

        // Readiness is the gateway's own (its Redis is Degraded-not-Unhealthy); a service without healthy replicas gets
        // 503 on its own routes (ServiceUnavailableMiddleware) and shows on the management port's /health/services.
        return builder;
    }

    /// <summary>
    /// First of all, before routing: the request id and the response headers every answer carries (including the
    /// refusals that follow: a path spelled ambiguously, a declared body over the limit), then the request path in its
    /// canonical spelling (or refused), so that the route, its authorization and its rate limit are chosen from the
    /// same path whatever the spelling (see <see cref="CanonicalPathMiddleware"/>).
    /// </summary>
    public static WebApplication UseCanonicalPathsAndRouting(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<ViaHeaderMiddleware>();
        app.UseMiddleware<CanonicalPathMiddleware>();
        app.UseRouting();
        return app;
    }

    /// <summary>The public pipeline: public health, limits, CORS, auth (with revocation), rate limits, stream limits, then the proxy.</summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<PublicHealthMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseGatewayCors();
        app.UseAuthentication();
        app.UseGatewayRateLimiting();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        app.UseMiddleware<NotificationStreamGuardMiddleware>();
        return app;
    }

    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.MapServiceHealth();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ServiceUnavailableMiddleware.InvokeAsync);
            proxy.Use(IdempotentRetryMiddleware.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
