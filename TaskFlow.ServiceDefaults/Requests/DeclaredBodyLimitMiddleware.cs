using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace TaskFlow.ServiceDefaults.Requests;

/// <summary>
/// A request whose declared <c>Content-Length</c> is over its body limit (the endpoint's request-size metadata, else
/// Kestrel's <c>MaxRequestBodySize</c>) is answered 413 before anything reads it, authentication included, with a lingering close
/// (<see cref="TooLargeBodyResponse"/>), in every service and the gateway alike.
/// </summary>
public sealed class DeclaredBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return limit is long max && context.Request.ContentLength > max
            ? TooLargeBodyResponse.WriteAsync(context, max)
            : next(context);
    }
}
