using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// One global limiter in front of every route, shared across gateway replicas through Redis:
/// login per client IP, other anonymous requests per client IP, authenticated requests per user (token bucket).
/// </summary>
public static class RateLimitingExtensions
{
    private const string LoginPath = "/users/login";

    public static IHostApplicationBuilder AddGatewayRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayRateLimitOptions>()
            .Bind(builder.Configuration.GetSection(GatewayRateLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddSingleton<IConfigureOptions<RateLimiterOptions>, ConfigureGatewayLimiter>();
        return builder;
    }

    private sealed class ConfigureGatewayLimiter(
        IOptions<GatewayRateLimitOptions> limits,
        IConnectionMultiplexer redis,
        ILoggerFactory loggerFactory) : IConfigureOptions<RateLimiterOptions>
    {
        public void Configure(RateLimiterOptions options)
        {
            var o = limits.Value;
            var logger = loggerFactory.CreateLogger("TaskFlow.Gateway.RateLimiting");
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (IsUnlimited(context.Request.Path))
                {
                    return RateLimitPartition.GetNoLimiter("operational");
                }

                var userId = context.User.FindFirstValue("sub");
                if (userId is not null)
                {
                    return Partition($"user:{userId}", key => new RedisWithLocalFallbackRateLimiter(
                        RedisPartition(RedisRateLimitPartition.GetTokenBucketRateLimiter(key, _ => new RedisTokenBucketRateLimiterOptions
                        {
                            ConnectionMultiplexerFactory = () => redis,
                            TokenLimit = o.AuthenticatedTokenLimit,
                            TokensPerPeriod = o.AuthenticatedTokensPerPeriod,
                            ReplenishmentPeriod = o.AuthenticatedReplenishmentPeriod,
                        })),
                        new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = o.AuthenticatedTokenLimit,
                            TokensPerPeriod = o.AuthenticatedTokensPerPeriod,
                            ReplenishmentPeriod = o.AuthenticatedReplenishmentPeriod,
                            QueueLimit = 0,
                        }),
                        logger));
                }

                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                var isLogin = HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase);
                var (kind, permits, window) = isLogin
                    ? ("login", o.LoginPermitLimit, o.LoginWindow)
                    : ("anon", o.AnonymousPermitLimit, o.AnonymousWindow);
                return Partition($"{kind}:{ip}", key => new RedisWithLocalFallbackRateLimiter(
                    RedisPartition(RedisRateLimitPartition.GetFixedWindowRateLimiter(key, _ => new RedisFixedWindowRateLimiterOptions
                    {
                        ConnectionMultiplexerFactory = () => redis,
                        PermitLimit = permits,
                        Window = window,
                    })),
                    new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }),
                    logger));
            });

            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero
                    ? after
                    : TimeSpan.FromSeconds(1);
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Rate limit reached; retry after {http.Response.Headers.RetryAfter} s.",
                    },
                });
            };
        }

        private static RateLimitPartition<string> Partition(string key, Func<string, RateLimiter> factory) =>
            RateLimitPartition.Get(key, factory);

        private static RateLimiter RedisPartition(RateLimitPartition<string> partition) => partition.Factory(partition.PartitionKey);

        private static bool IsUnlimited(PathString path) =>
            path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
    }
}
