namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// A store the request needs being unreachable (Redis for sessions and idempotency records, MongoDB with no server
/// selected in time or a dropped connection) is an outage, not a bug in the request: every service answers 503
/// problem+json with Retry-After instead of a 500. Which exceptions count: <see cref="StoreUnavailableOptions"/>.
/// </summary>
public sealed partial class StoreUnavailableExceptionHandler(
    IProblemDetailsService problemDetails,
    IOptions<StoreUnavailableOptions> options,
    ILogger<StoreUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!options.Value.IsStoreUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogStoreUnavailable(logger, exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "A store this request needs is not reachable right now; try again shortly.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A store was unavailable while serving a request ({Failure})")]
    private static partial void LogStoreUnavailable(ILogger logger, string failure);
}
