using System.Net;
using System.Net.Http.Headers;

namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// Answers "does this user exist?" by asking the Users service (<c>GET /users/{id}</c>) through service discovery
/// and the resilient HttpClient pipeline from ServiceDefaults, with the caller's own bearer token. Positive answers
/// are cached briefly (users are never deleted); negative ones are not, so a user who registers a moment later can
/// be assigned at once. A positive answer another replica stored in Redis is kept in this replica's memory too, so
/// each replica asks Redis about a user once per <see cref="TaskCacheOptions.UserExistence"/>, not on every assignment.
/// </summary>
public sealed partial class UserDirectory(
    HttpClient http,
    HybridCache cache,
    IConnectionMultiplexer redis,
    IOptions<TaskCacheOptions> options,
    ILogger<UserDirectory> logger)
{
    /// <summary>The Users service's AppHost resource name, which service discovery resolves.</summary>
    public const string UsersService = "users";

    /// <summary>
    /// A lookup only reads: no factory (a miss asks the Users service below, and misses are never stored) and no write
    /// back to Redis. An answer found in Redis is kept in memory (HybridCache stores an L2 hit in L1 unless told not to).
    /// </summary>
    private const HybridCacheEntryFlags LookupOnly = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    public async Task<UserLookup> FindAsync(string userId, string? authorization, CancellationToken cancellationToken)
    {
        var key = $"user-exists:{userId}";
        var l2 = redis.IsConnected ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableDistributedCache;
        var ttl = options.Value.UserExistence;
        var known = await cache.GetOrCreateAsync(
            key,
            static _ => ValueTask.FromResult(false),
            new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl, Flags = LookupOnly | l2 },
            cancellationToken: cancellationToken);
        if (known)
        {
            return UserLookup.Exists;
        }

        var answer = await AskUsersServiceAsync(userId, authorization, cancellationToken);
        if (answer == UserLookup.Exists)
        {
            await cache.SetAsync(key, true, new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl, Flags = l2 }, cancellationToken: cancellationToken);
        }

        return answer;
    }

    private async Task<UserLookup> AskUsersServiceAsync(string userId, string? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"users/{Uri.EscapeDataString(userId)}");
        if (!string.IsNullOrEmpty(authorization) && AuthenticationHeaderValue.TryParse(authorization, out var header))
        {
            request.Headers.Authorization = header;
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return UserLookup.Exists;
                case HttpStatusCode.NotFound:
                    return UserLookup.NotFound;
                default:
                    LogUnexpectedStatus(logger, (int)response.StatusCode);
                    return UserLookup.Unavailable;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException
                                       or Polly.Timeout.TimeoutRejectedException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnavailable(logger, ex.GetType().Name);
            return UserLookup.Unavailable;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Users service answered {StatusCode} to a user lookup")]
    private static partial void LogUnexpectedStatus(ILogger logger, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Users service unreachable for a user lookup ({Failure})")]
    private static partial void LogUnavailable(ILogger logger, string failure);
}
