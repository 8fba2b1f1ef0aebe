using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpOverrides;
using TaskFlow.Gateway.Forwarding;
using TaskFlow.Gateway.Health;
using TaskFlow.Gateway.Middleware;
using TaskFlow.Gateway.RateLimiting;
using TaskFlow.Gateway.Revocation;

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

    /// <summary>The public pipeline: request id, security headers, public health, limits, CORS, auth (with revocation), rate limits, then the proxy.</summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<ViaHeaderMiddleware>();
        app.UseMiddleware<PublicHealthMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseGatewayCors();
        app.UseAuthentication();
        app.UseGatewayRateLimiting();
        app.UseAuthorization();
        app.UseRequestTimeouts();
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
