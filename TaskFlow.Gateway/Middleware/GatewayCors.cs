using TaskFlow.Gateway.RateLimiting;
using TaskFlow.ServiceDefaults.Idempotency;

namespace TaskFlow.Gateway.Middleware;

/// <summary>
/// CORS for browser clients served from other origins (<c>Cors:AllowedOrigins</c>: local dev servers by default; the
/// web client itself is same-origin): the methods and request headers of API.md, and the response headers a client reads.
/// </summary>
public static class GatewayCors
{
    private const string PolicyName = "taskflow-clients";

    public static IHostApplicationBuilder AddGatewayCors(this IHostApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(options => options.AddPolicy(PolicyName, policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", IdempotencyRequest.KeyHeader, "Last-Event-ID",
                RequestIdMiddleware.HeaderName)
            .WithExposedHeaders("ETag", "Location", "Retry-After", IdempotencyRequest.ReplayedHeader, RequestIdMiddleware.HeaderName,
                GatewayRateLimitMiddleware.PolicyHeader, GatewayRateLimitMiddleware.StateHeader)));
        return builder;
    }

    public static IApplicationBuilder UseGatewayCors(this IApplicationBuilder app) => app.UseCors(PolicyName);
}
