using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>
/// The parts of a request that idempotency works with: the key (draft-ietf-httpapi-idempotency-key-header), who
/// it belongs to, and the request's fingerprint (SHA-256 over method, path and body) that tells a retry from a reuse.
/// </summary>
public static class IdempotencyRequest
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>1–255 printable ASCII characters (0x20–0x7E), given once.</summary>
    public static bool TryGetKey(StringValues values, out string key)
    {
        key = values.Count == 1 ? values[0] ?? "" : "";
        return key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');
    }

    /// <summary>The caller a key belongs to: the token's <c>sub</c>, or the client IP for anonymous endpoints.</summary>
    public static string? Caller(HttpContext context, IdempotencyScope scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (scope == IdempotencyScope.User)
        {
            return context.User.GetSubject() is { Length: > 0 } sub ? "user:" + sub : null;
        }

        // Services are reached only through the gateway, which sets X-Forwarded-For to the client IP it decided on
        // (from its trusted proxies); the last entry is what the nearest proxy saw.
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        var last = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        var ip = last ?? context.Connection.RemoteIpAddress?.ToString();
        return ip is null ? null : "ip:" + ip;
    }

    /// <summary>The Redis key of one caller's key: the key itself is hashed, so any printable character is safe.</summary>
    public static string StoreKey(string caller, string key) =>
        $"taskflow:idempotency:{caller}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";

    /// <summary>The Redis key of the sorted set that lists one caller's records (the per-caller cap).</summary>
    public static string CallerIndexKey(string caller) => $"taskflow:idempotency-index:{caller}";

    /// <summary>SHA-256 of method, path and the raw body; leaves the body rewound for the handler.</summary>
    public static async Task<string> FingerprintAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
        }

        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
