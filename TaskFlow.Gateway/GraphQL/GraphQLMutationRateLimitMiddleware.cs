using System.Net.Http.Headers;
using TaskFlow.Gateway.RateLimiting;

namespace TaskFlow.Gateway.GraphQL;

/// <summary>
/// API.md "Rate limits": GraphQL counts like REST. The request itself was counted once by
/// <see cref="GatewayRateLimitMiddleware"/>; here each mutation field of an authenticated <c>POST /graphql</c> takes one
/// more permit of the caller's own policy (every mutation is an authenticated REST route, limited per user), from the
/// same counters (<see cref="SharedRateLimitCounters"/>: Redis, shared by every replica), one at a time until one is
/// refused. The Graph service gets the number granted in <c>X-TaskFlow-Mutation-Permits</c> (and the limiter's
/// Retry-After in <c>X-TaskFlow-Mutation-Retry-After</c>) and runs only that many mutation fields, in order; the others
/// answer RATE_LIMITED, as their REST requests would have been 429. A client's own copies of these headers are dropped.
/// </summary>
public sealed class GraphQLMutationRateLimitMiddleware(RequestDelegate next, GatewayRateLimitPolicies policies, SharedRateLimitCounters counters)
{
    public const string PermitsHeader = "X-TaskFlow-Mutation-Permits";
    public const string RetryAfterHeader = "X-TaskFlow-Mutation-Retry-After";

    /// <summary>The Graph service refuses a request with more mutation fields (API.md) before any runs; none past it is counted.</summary>
    public const int MaxCountedFields = 10;

    /// <summary>The Graph service refuses a larger body (413) before anything runs.</summary>
    private const int MaxBodyBytes = 256 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/graphql", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        request.Headers.Remove(PermitsHeader);
        request.Headers.Remove(RetryAfterHeader);
        var granted = 0;
        if (HttpMethods.IsPost(request.Method) && context.User.GetSubject() is { } userId && IsJson(request))
        {
            var fields = Math.Min(MaxCountedFields, await CountMutationFieldsAsync(request, context.RequestAborted));
            for (; granted < fields; granted++)
            {
                var decision = await counters.AcquireAsync(policies.User, userId);
                if (!decision.Allowed)
                {
                    request.Headers[RetryAfterHeader] = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    break;
                }
            }
        }

        request.Headers[PermitsHeader] = granted.ToString(CultureInfo.InvariantCulture);
        await next(context);
    }

    private static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the body (kept for the proxy to forward), at most <see cref="MaxBodyBytes"/>; a larger one counts 0.</summary>
    private static async Task<int> CountMutationFieldsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return 0;
        }

        request.EnableBuffering();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0 && buffer.Length <= MaxBodyBytes)
        {
            buffer.Write(chunk, 0, read);
        }

        request.Body.Position = 0;
        return buffer.Length > MaxBodyBytes ? 0 : GraphQLMutationFields.Count(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
