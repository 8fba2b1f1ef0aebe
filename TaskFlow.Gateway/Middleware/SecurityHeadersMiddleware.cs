namespace TaskFlow.Gateway.Middleware;

/// <summary>
/// Security headers on every public response; the API docs page gets a policy that lets its UI run, and the web
/// client (cluster <c>web</c>) one that allows its own scripts, styles and API calls, all same-origin, nothing inline.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string WebClientCluster = "web";

    public const string WebClientPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
                : context.Features.Get<IReverseProxyFeature>()?.Route.Config.ClusterId == WebClientCluster
                    ? WebClientPolicy
                    : "default-src 'none'; frame-ancestors 'none'";
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
