using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using StackExchange.Redis;

namespace TaskFlow.Users.Infrastructure.Sessions;

/// <summary>
/// Sessions and their rotating refresh tokens in Redis. A session (the token family) is a hash
/// <c>users:session:{sid}</c> holding its user and the hash of its one current refresh token; each issued token
/// maps <c>users:refresh:{sha256}</c> to its session until it would have expired, so a rotated token presented
/// again is recognised as reuse and the session deleted. Deleting the session key revokes every token of the family
/// at once; all keys expire on their own. Revoking a session (logout, reuse) also revokes its access tokens at the
/// edge through <see cref="SessionRevocation"/>.
/// </summary>
public sealed partial class RefreshTokenStore(
    IConnectionMultiplexer redis, SessionRevocation revocation, IOptions<TokenOptions> options, TimeProvider time, ILogger<RefreshTokenStore> logger)
{
    private const string SessionField = "cur";
    private const string UserField = "uid";
    private const string CreatedField = "created";

    // Atomic check-and-rotate: the presented token must still be its session's current one.
    private static readonly LuaScript RotateScript = LuaScript.Prepare("""
        local sid = redis.call('GET', @oldKey)
        if sid ~= @sessionId then return {0} end
        local current = redis.call('HGET', @sessionKey, 'cur')
        if not current then return {0} end
        if current ~= @oldHash then
          redis.call('DEL', @sessionKey)
          return {-1}
        end
        redis.call('HSET', @sessionKey, 'cur', @newHash)
        redis.call('PEXPIRE', @sessionKey, @ttl)
        redis.call('SET', @newKey, @sessionId, 'PX', @ttl)
        return {1, redis.call('HGET', @sessionKey, 'uid')}
        """);

    private TimeSpan Lifetime => options.Value.RefreshTokenLifetime;

    public async Task<IssuedRefreshToken> StartSessionAsync(Guid userId)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        var (token, hash) = NewToken();
        var database = redis.GetDatabase();
        var transaction = database.CreateTransaction();
        _ = transaction.HashSetAsync(SessionKey(sessionId),
        [
            new HashEntry(UserField, userId.ToString()),
            new HashEntry(SessionField, hash),
            new HashEntry(CreatedField, time.GetUtcNow().ToUnixTimeSeconds()),
        ]);
        _ = transaction.KeyExpireAsync(SessionKey(sessionId), Lifetime);
        _ = transaction.StringSetAsync(RefreshKey(hash), sessionId, Lifetime);
        await transaction.ExecuteAsync();
        return new IssuedRefreshToken(token, sessionId, time.GetUtcNow() + Lifetime);
    }

    public async Task<RefreshResult> RotateAsync(string presentedToken)
    {
        var oldHash = Hash(presentedToken);
        var database = redis.GetDatabase();
        var sessionId = (string?)await database.StringGetAsync(RefreshKey(oldHash));
        if (sessionId is null)
        {
            return new RefreshResult(RefreshOutcome.Invalid);
        }

        var (token, newHash) = NewToken();
        var result = (RedisResult[]?)await database.ScriptEvaluateAsync(RotateScript, new
        {
            oldKey = (RedisKey)RefreshKey(oldHash),
            sessionKey = (RedisKey)SessionKey(sessionId),
            newKey = (RedisKey)RefreshKey(newHash),
            sessionId,
            oldHash,
            newHash,
            ttl = (long)Lifetime.TotalMilliseconds,
        });

        var status = result is { Length: > 0 } ? (int)result[0] : 0;
        switch (status)
        {
            case 1 when result is { Length: > 1 } && Guid.TryParse((string?)result[1], out var userId):
                return new RefreshResult(RefreshOutcome.Rotated, sessionId, userId, new IssuedRefreshToken(token, sessionId, time.GetUtcNow() + Lifetime));
            case -1:
                LogReuse(logger, sessionId);
                await revocation.RevokeSessionAsync(sessionId);
                return new RefreshResult(RefreshOutcome.Reused, sessionId);
            default:
                return new RefreshResult(RefreshOutcome.Invalid);
        }
    }

    /// <summary>The session a refresh token belongs to and its user, when both still exist.</summary>
    public async Task<(string SessionId, Guid UserId)?> FindSessionAsync(string presentedToken)
    {
        var database = redis.GetDatabase();
        var sessionId = (string?)await database.StringGetAsync(RefreshKey(Hash(presentedToken)));
        if (sessionId is null)
        {
            return null;
        }

        var userId = (string?)await database.HashGetAsync(SessionKey(sessionId), UserField);
        return Guid.TryParse(userId, out var id) ? (sessionId, id) : null;
    }

    /// <summary>Ends the session: its refresh token stops working, and its access tokens at the gateway within a second.</summary>
    public async Task<bool> RevokeSessionAsync(string sessionId)
    {
        var deleted = await redis.GetDatabase().KeyDeleteAsync(SessionKey(sessionId));
        await revocation.RevokeSessionAsync(sessionId);
        return deleted;
    }

    public Task<bool> IsSessionActiveAsync(string sessionId) => redis.GetDatabase().KeyExistsAsync(SessionKey(sessionId));

    /// <summary>256 random bits, base64url; the stored form is the SHA-256 of the token text, hex.</summary>
    private static (string Token, string Hash) NewToken()
    {
        var token = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string SessionKey(string sessionId) => "users:session:" + sessionId;

    private static string RefreshKey(string hash) => "users:refresh:" + hash;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A rotated refresh token of session {SessionId} was presented again; the session is revoked")]
    private static partial void LogReuse(ILogger logger, string sessionId);
}
