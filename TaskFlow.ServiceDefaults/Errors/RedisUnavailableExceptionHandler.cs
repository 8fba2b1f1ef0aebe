using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// Redis unreachable while a request needs it (sessions, idempotency records) is an outage, not a bug in the
/// request: 503 problem+json with Retry-After instead of a 500, for every service at once.
/// </summary>
public sealed partial class RedisUnavailableExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<RedisUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (RedisException or RedisTimeoutException) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogRedisUnavailable(logger, exception.GetType().Name);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while serving a request ({Failure})")]
    private static partial void LogRedisUnavailable(ILogger logger, string failure);
}
