using System.Globalization;

namespace TaskFlow.ServiceDefaults.Authentication;

/// <summary>
/// The shared record of revoked access tokens, in Redis, read by the gateway and written by the token issuer:
/// <c>auth:revoked:session:{sid}</c> marks every token of a session as revoked; <c>auth:revoked:user:{sub}</c> holds a
/// Unix time in milliseconds before which every token of that user was issued too early to be trusted (roles changed).
/// Both expire with the access tokens they describe. Every write is also published on <see cref="Channel"/>, so
/// readers keep a local copy current without a Redis call per request.
/// </summary>
public sealed class AccessTokenRevocations(IConnectionMultiplexer redis)
{
    /// <summary>Access-token claim with the issue time in Unix milliseconds (<c>iat</c> has whole seconds only).</summary>
    public const string IssuedAtMillisecondsClaim = "iat_ms";

    public static readonly RedisChannel Channel = RedisChannel.Literal("auth:revocations");

    private const string SessionMessagePrefix = "session:";
    private const string UserMessagePrefix = "user:";

    // Keeps the later stamp when two changes race.
    private static readonly LuaScript RaiseStampScript = LuaScript.Prepare("""
        local current = tonumber(redis.call('GET', @key) or '0')
        local stamp = tonumber(@stamp)
        if stamp > current then
          redis.call('SET', @key, @stamp, 'PX', @ttl)
        else
          redis.call('PEXPIRE', @key, @ttl)
        end
        return redis.call('GET', @key)
        """);

    public static string SessionKey(string sessionId) => "auth:revoked:session:" + sessionId;

    public static string UserKey(string userId) => "auth:revoked:user:" + userId;

    /// <summary>Every access token of the session is revoked for <paramref name="retainFor"/> (at least their lifetime).</summary>
    public async Task RevokeSessionAsync(string sessionId, TimeSpan retainFor)
    {
        var database = redis.GetDatabase();
        await database.StringSetAsync(SessionKey(sessionId), "1", retainFor);
        await database.PublishAsync(Channel, SessionMessagePrefix + sessionId);
    }

    /// <summary>Every access token of the user issued before <paramref name="before"/> is revoked.</summary>
    public async Task RevokeUserTokensIssuedBeforeAsync(string userId, DateTimeOffset before, TimeSpan retainFor)
    {
        var database = redis.GetDatabase();
        var stamp = (string?)await database.ScriptEvaluateAsync(RaiseStampScript, new
        {
            key = (RedisKey)UserKey(userId),
            stamp = before.ToUnixTimeMilliseconds(),
            ttl = (long)retainFor.TotalMilliseconds,
        });
        await database.PublishAsync(Channel, UserMessagePrefix + userId + ":" + stamp);
    }

    /// <summary>Reads a message of <see cref="Channel"/>: a revoked session, or a user with a new stamp (ms).</summary>
    public static bool TryParseMessage(string? message, out string? sessionId, out string? userId, out long stamp)
    {
        sessionId = null;
        userId = null;
        stamp = 0;
        if (message is null)
        {
            return false;
        }

        if (message.StartsWith(SessionMessagePrefix, StringComparison.Ordinal))
        {
            sessionId = message[SessionMessagePrefix.Length..];
            return sessionId.Length > 0;
        }

        if (message.StartsWith(UserMessagePrefix, StringComparison.Ordinal))
        {
            var rest = message[UserMessagePrefix.Length..];
            var colon = rest.LastIndexOf(':');
            if (colon > 0 && long.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out stamp))
            {
                userId = rest[..colon];
                return true;
            }
        }

        return false;
    }
}
