namespace TaskFlow.Gateway.Routing;

/// <summary>
/// Runs before routing, rate limiting and authentication, so that a limit belongs to the route however its path is
/// spelled (API.md "Rate limits"). Kestrel already decodes percent-encoded characters other than <c>/</c> and removes
/// dot segments (<c>/users/%6Cogin</c>, <c>/x/../users/login</c> arrive as <c>/users/login</c>); routing and every
/// policy choice compare paths without regard to letter case. What is left is done here (see <see cref="CanonicalPath"/>):
/// repeated slashes are collapsed and a trailing slash removed, so <c>//users//login/</c> is <c>/users/login</c> for the
/// route match, the rate-limit policy and the service behind; a path with an encoded slash or a backslash is refused
/// with 400 problem+json, since the gateway and a service could read it as different paths.
/// </summary>
public sealed partial class CanonicalPathMiddleware(RequestDelegate next, ILogger<CanonicalPathMiddleware> logger)
{
    public const string RejectedTitle = "Non-canonical path";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        switch (CanonicalPath.Canonicalize(request.Path.Value, out var canonical))
        {
            case CanonicalPathResult.Canonical:
                break;
            case CanonicalPathResult.Rewritten:
                LogRewritten(logger, canonical);
                request.Path = new PathString(canonical);
                break;
            default:
                await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, RejectedTitle,
                    "The request path holds an encoded slash (%2F), an encoded or literal backslash, or a control character; send the path with plain '/' separators.");
                return;
        }

        await next(context);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request path rewritten to its canonical form {Path}")]
    private static partial void LogRewritten(ILogger logger, string path);
}
