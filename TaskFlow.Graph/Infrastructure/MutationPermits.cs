using System.Globalization;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// API.md "Rate limits": each mutation field is one request of its REST route against the caller's limit. The gateway
/// (its <c>GraphQLMutationRateLimitMiddleware</c>) takes one permit of the caller's bucket per mutation field of a
/// <c>/graphql</c> request, with the same limiter and shared state as REST, and tells this service how many it got in
/// <see cref="GrantedHeader"/> (and, when it ran out, the limiter's <see cref="RetryAfterHeader"/>). Mutation fields run
/// one after another in document order; each spends one permit, and one without a permit is RATE_LIMITED instead of
/// calling the service. The gateway always sets the header on /graphql (a client's own is dropped); a request that did
/// not come through the gateway (none in a deployment, only in-process unit tests) has no edge limit here.
/// </summary>
public sealed class MutationPermits
{
    public const string GrantedHeader = "X-TaskFlow-Mutation-Permits";
    public const string RetryAfterHeader = "X-TaskFlow-Mutation-Retry-After";

    private readonly long _retryAfterSeconds;
    private int _left;

    private MutationPermits(int granted, long retryAfterSeconds)
    {
        _left = granted;
        _retryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>No edge limit (not behind the gateway).</summary>
    public static MutationPermits Unlimited { get; } = new(int.MaxValue, 0);

    public static MutationPermits From(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!int.TryParse(headers[GrantedHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var granted))
        {
            return headers.ContainsKey(GrantedHeader) ? new MutationPermits(0, 1) : Unlimited;
        }

        var retryAfter = long.TryParse(headers[RetryAfterHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? Math.Max(1, seconds)
            : 1;
        return new MutationPermits(granted, retryAfter);
    }

    /// <summary>Spends one permit for a mutation field, or throws RATE_LIMITED when none is left.</summary>
    public void Spend()
    {
        if (ReferenceEquals(this, Unlimited))
        {
            return;
        }

        if (Interlocked.Decrement(ref _left) < 0)
        {
            throw new GraphError(GraphErrorCodes.RateLimited,
                string.Create(CultureInfo.InvariantCulture, $"Rate limit reached: this mutation was not run; retry after {_retryAfterSeconds} s."));
        }
    }
}
