using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// Rate limiting in front of every route, shared across gateway replicas through Redis (one Lua script call per
/// request for fixed windows, one per lease of tokens for the per-user token bucket), with per-replica counters while
/// Redis is unreachable. See <see cref="GatewayRateLimitMiddleware"/>.
/// </summary>
public static class RateLimitingExtensions
{
    public static IHostApplicationBuilder AddGatewayRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayRateLimitOptions>()
            .Bind(builder.Configuration.GetSection(GatewayRateLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.LoginWindow >= TimeSpan.FromSeconds(1) && o.AnonymousWindow >= TimeSpan.FromSeconds(1)
                && o.AuthenticatedReplenishmentPeriod >= TimeSpan.FromMilliseconds(1), "Rate-limit windows must be at least 1 s (periods 1 ms).")
            .Validate(o => o.AuthenticatedLeaseLifetime >= TimeSpan.FromMilliseconds(10) && o.AuthenticatedLeaseLifetime <= TimeSpan.FromMinutes(1),
                "RateLimits:AuthenticatedLeaseLifetime must be between 10 ms and 1 min.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GatewayRateLimitPolicies>();
        builder.Services.AddSingleton<RedisRateLimitStore>();
        builder.Services.AddSingleton<LeasedTokenBuckets>();
        builder.Services.AddSingleton<LocalRateLimitStore>();
        builder.Services.AddSingleton<SharedRateLimitCounters>();
        return builder;
    }

    public static IApplicationBuilder UseGatewayRateLimiting(this IApplicationBuilder app) =>
        app.UseMiddleware<GatewayRateLimitMiddleware>().UseMiddleware<GraphQL.GraphQLMutationRateLimitMiddleware>();
}
