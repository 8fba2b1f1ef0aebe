namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// Writes a problem+json answer from middleware (where no <see cref="IResult"/> is returned), through the registered
/// <see cref="IProblemDetailsService"/> so it carries the same extensions (trace id, request id) as every other problem.
/// </summary>
public static class ProblemResponses
{
    /// <summary>Sets the status (and <c>Retry-After</c>, if given) and writes the problem body.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
