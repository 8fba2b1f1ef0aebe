using Microsoft.AspNetCore.Http.Features;
using TaskFlow.ServiceDefaults.Requests;

namespace TaskFlow.Gateway.Middleware;

/// <summary>
/// 1 MiB request bodies at most. A declared larger Content-Length never gets here: the service defaults'
/// <see cref="DeclaredBodyLimitMiddleware"/> answers it first, against Kestrel's limit (<see cref="MaxBodyBytes"/>),
/// with a lingering close. This turns a chunked body that grows past the limit while streaming into the same 413
/// instead of a proxy error.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public const long MaxBodyBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        }

        await next(context);

        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is { Error: ForwarderError.RequestBodyClient } &&
            error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } &&
            !context.Response.HasStarted)
        {
            await WriteTooLargeAsync(context);
        }
    }

    private static Task WriteTooLargeAsync(HttpContext context) =>
        ProblemResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, RequestProblems.TooLargeTitle,
            $"Request bodies are limited to {MaxBodyBytes} bytes.");
}
