namespace TaskFlow.Gateway.Middleware;

/// <summary>
/// Outermost step of the proxy pipeline: when a service has no healthy replica (YARP found no available destination),
/// its routes answer 503 problem+json with <c>Retry-After</c> — the interval of the gateway's active health probe,
/// the earliest a replica can be seen healthy again — while every other route keeps working. Other forwarding
/// failures YARP answers without a body (502 unreachable, 504 timed out) become problem+json too.
/// </summary>
public static class ServiceUnavailableMiddleware
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        if (error.Error != ForwarderError.NoAvailableDestinations)
        {
            await WriteForwardingFailureAsync(context);
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        var service = proxy.Route.Cluster?.ClusterId ?? "the service";
        var interval = proxy.Cluster.Config.HealthCheck?.Active?.Interval ?? DefaultRetryAfter;
        var retryAfter = Math.Max(1, (long)Math.Ceiling(interval.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

        await ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
            $"No replica of {service} is healthy right now; retry after {retryAfter} s.", retryAfter);
    }

    private static async Task WriteForwardingFailureAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status is not (StatusCodes.Status502BadGateway or StatusCodes.Status504GatewayTimeout))
        {
            return;
        }

        var badGateway = status == StatusCodes.Status502BadGateway;
        await ProblemResponses.WriteAsync(context, status, badGateway ? "Bad gateway" : "Gateway timeout",
            badGateway ? "The service could not be reached." : "The service did not answer in time.");
    }
}
