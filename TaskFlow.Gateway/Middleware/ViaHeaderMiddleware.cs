namespace TaskFlow.Gateway.Middleware;

/// <summary>
/// Adds <c>Via: 1.1 gateway-{instance}</c> (RFC 9110 §7.6.3) to every response, with a random pseudonym per
/// gateway process: operators and tests can tell replicas apart without exposing host names or addresses.
/// </summary>
public sealed class ViaHeaderMiddleware(RequestDelegate next)
{
    public static readonly string InstancePseudonym = "gateway-" + Guid.NewGuid().ToString("N")[..8];

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Append("Via", "1.1 " + InstancePseudonym);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
