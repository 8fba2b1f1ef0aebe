namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// A GraphQL response body (<c>{data, errors}</c>) with the HTTP status the request deserves, as
/// <paramref name="mediaType"/> (<see cref="GraphQLMediaType"/>): for both, a request that was not executed (not
/// JSON, not valid, over a limit) is a 4xx without <c>data</c> and an executed one is 200, field errors included.
/// </summary>
public sealed class GraphQLHttpResult(ExecutionResult result, int statusCode, string mediaType) : IResult, IStatusCodeHttpResult
{
    public ExecutionResult Result => result;

    public string MediaType => mediaType;

    public int? StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = mediaType + "; charset=utf-8";
        if (statusCode == StatusCodes.Status401Unauthorized)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer";
        }
        else if (statusCode == StatusCodes.Status405MethodNotAllowed)
        {
            httpContext.Response.Headers.Allow = "POST";
        }

        var serializer = httpContext.RequestServices.GetRequiredService<GraphQLSerializer>();
        await serializer.WriteAsync(httpContext.Response.Body, result, httpContext.RequestAborted);
    }
}
