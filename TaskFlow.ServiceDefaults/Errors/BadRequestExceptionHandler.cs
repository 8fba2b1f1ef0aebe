namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// Turns request-shaped failures (malformed JSON, a body over the size limit, a wrong content type)
/// into the status they deserve as problem+json; anything else stays an unexpected 500 without details.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            System.Text.Json.JsonException => StatusCodes.Status400BadRequest,
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => 499,
            _ => 0,
        };
        if (status == 0 || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (status == 499)
        {
            return true;
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status switch
                {
                    StatusCodes.Status413PayloadTooLarge => RequestProblems.TooLargeTitle,
                    StatusCodes.Status415UnsupportedMediaType => RequestProblems.UnsupportedMediaTypeTitle,
                    _ => RequestProblems.MalformedTitle,
                },
                // The framework's message names the parameter or the JSON problem, never internals.
                Detail = exception is BadHttpRequestException ? exception.Message : RequestProblems.MalformedJsonDetail,
            },
        });
    }
}
