namespace TaskFlow.Gateway.Middleware;

/// <summary>
/// Part of the proxy pipeline, before load balancing: a GET/HEAD/OPTIONS whose forwarding failed before any
/// response byte reached the client (connection refused, reset, timeout) is sent again, preferring destinations
/// other than the one that failed. Other methods are never retried: the service may have acted on them.
/// </summary>
public static partial class IdempotentRetryMiddleware
{
    private const int MaxAttempts = 3;

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var method = context.Request.Method;
        if (!(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)))
        {
            await next();
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        var all = proxy.AvailableDestinations;
        var failed = new HashSet<DestinationState>();
        for (var attempt = 1; ; attempt++)
        {
            await next();
            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null || !IsRetriable(error.Error) || context.Response.HasStarted || attempt == MaxAttempts ||
                context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IdempotentRetryMiddleware));
            LogRetry(logger, error.Error, attempt);
            if (proxy.ProxiedDestination is { } destination)
            {
                failed.Add(destination);
            }

            var remaining = all.Where(d => !failed.Contains(d)).ToList();
            // Behind a single address (e.g. a local proxy in front of replicas) the same one is tried again.
            proxy.AvailableDestinations = remaining.Count > 0 ? remaining : all;
            context.Features.Set<IForwarderErrorFeature?>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), context.RequestAborted);
        }
    }

    private static bool IsRetriable(ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.NoAvailableDestinations;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding failed ({Error}) on attempt {Attempt}; retrying an idempotent request")]
    private static partial void LogRetry(ILogger logger, ForwarderError error, int attempt);
}
