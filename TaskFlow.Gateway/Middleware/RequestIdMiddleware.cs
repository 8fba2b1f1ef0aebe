using System.Diagnostics;

namespace TaskFlow.Gateway.Middleware;

/// <summary>
/// Echoes a well-formed incoming <c>X-Request-Id</c> or creates one, on the response, on the request forwarded
/// to the service, on the current trace (tag <c>request.id</c>) and in the log scope.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName].ToString();
        var requestId = IsWellFormed(incoming) ? incoming : Guid.NewGuid().ToString("N");
        context.Request.Headers[HeaderName] = requestId;
        context.Response.Headers[HeaderName] = requestId;
        Activity.Current?.SetTag("request.id", requestId);
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
        {
            await next(context);
        }
    }

    /// <summary>Only short, printable tokens are echoed: a header is never a way to inject into logs or responses.</summary>
    public static bool IsWellFormed(string value) =>
        value.Length is > 0 and <= MaxLength &&
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
