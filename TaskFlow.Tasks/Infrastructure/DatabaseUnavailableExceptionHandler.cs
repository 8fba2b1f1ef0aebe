using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using MongoDB.Driver;

namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// MongoDB unreachable (no server selected in time, connection dropped) is an outage, not a bug in the request:
/// answer 503 problem+json with Retry-After instead of a 500.
/// </summary>
public sealed partial class DatabaseUnavailableExceptionHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (MongoConnectionException or MongoExecutionTimeoutException or TimeoutException) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogDatabaseUnavailable(logger, exception.GetType().Name);
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
                Detail = "The task store is not reachable right now; try again shortly.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MongoDB unavailable while serving a request ({Failure})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string failure);
}
