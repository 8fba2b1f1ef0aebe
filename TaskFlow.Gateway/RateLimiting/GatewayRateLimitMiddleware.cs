namespace TaskFlow.Gateway.RateLimiting;

/// <summary>
/// One limit per request, chosen by route and caller (API.md "Rate limits"): <c>POST /users/login</c> per client IP,
/// other anonymous requests per client IP, authenticated requests per user (token bucket); the web client's files
/// (proxy routes with the metadata <c>RateLimitPolicy: static</c>) per client IP on a budget of their own. Every response of a
/// limited route carries <c>RateLimit-Policy</c> and <c>RateLimit</c> (draft-ietf-httpapi-ratelimit-headers) from the
/// state that made the decision; a refusal is 429 problem+json with an honest <c>Retry-After</c>.
/// </summary>
public sealed class GatewayRateLimitMiddleware(RequestDelegate next, GatewayRateLimitPolicies policies, SharedRateLimitCounters counters)
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string StateHeader = "RateLimit";
    /// <summary>The proxy route metadata key that puts a route under <see cref="GatewayRateLimitPolicies.Static"/>.</summary>
    public const string RouteMetadataKey = "RateLimitPolicy";
    private const string LoginPath = "/users/login";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (IsUnlimited(request.Path))
        {
            await next(context);
            return;
        }

        var (policy, key) = Select(context);
        var decision = await counters.AcquireAsync(policy, key);
        var response = context.Response;
        // On starting, not now: error handlers and the proxy may reset headers before the response is written.
        response.OnStarting(() =>
        {
            response.Headers[PolicyHeader] = policy.PolicyHeader;
            response.Headers[StateHeader] = decision.Header(policy);
            return Task.CompletedTask;
        });

        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        var retryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"Rate limit \"{policy.Name}\" reached; retry after {retryAfter} s.", retryAfter);
    }

    private (RateLimitPolicy Policy, string Key) Select(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase))
        {
            return (policies.Login, ClientIp(context));
        }

        if (IsStaticRoute(context))
        {
            return (policies.Static, ClientIp(context));
        }

        return context.User.GetSubject() is { } userId
            ? (policies.User, userId)
            : (policies.Anonymous, ClientIp(context));
    }

    /// <summary>The peer address, or the X-Forwarded-For client when a trusted proxy sent it (forwarded-headers middleware).</summary>
    private static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool IsStaticRoute(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata is { } metadata &&
        metadata.TryGetValue(RouteMetadataKey, out var policy) &&
        string.Equals(policy, GatewayRateLimitPolicies.StaticPolicyName, StringComparison.OrdinalIgnoreCase);

    private static bool IsUnlimited(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}
