namespace TaskFlow.Graph.Infrastructure;

/// <summary>A GraphQL response body (<c>{data, errors}</c>) with the HTTP status the request deserves.</summary>
public sealed class GraphQLHttpResult(ExecutionResult result, int statusCode) : IResult, IStatusCodeHttpResult
{
    public const string ContentType = "application/json; charset=utf-8";

    public ExecutionResult Result => result;

    public int? StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = ContentType;
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
