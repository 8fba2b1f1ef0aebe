using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using TaskFlow.ServiceDefaults.Timing;

namespace TaskFlow.ServiceDefaults.Authentication;

/// <summary>
/// The JwtBearer token handler of every service, with a short memory: a token that validated (signature, issuer,
/// audience, lifetime, algorithm) is taken as valid again without repeating that work for
/// <see cref="JwtValidationOptions.ValidatedTokenCacheLifetime"/>, never past its own <c>exp</c>. A client sends the same
/// access token with every request, so under load the RSA verification and the claims parsing happen once per token
/// and minute instead of once per request. Only successes are remembered (a rejected token is validated afresh every
/// time); each request gets its own copy of the identity; what runs after validation (the gateway's revocation check,
/// the <c>OnTokenValidated</c> event) still runs on every request. The cost: a token whose signing key is withdrawn
/// from the JWKS stays accepted for at most the cache lifetime. At most <paramref name="capacity"/> tokens are held.
/// </summary>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time, TimeSpan lifetime, int capacity = 10_000) : TokenHandler
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly PeriodicGate _sweep = new();

    /// <summary>Tokens held now (expired ones until the next sweep).</summary>
    public int Count => _entries.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(token, out var cached))
        {
            if (cached.ExpiresUtc > now)
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = cached.Token,
                    ClaimsIdentity = cached.Identity.Clone(),
                    Issuer = cached.Issuer,
                    TokenType = cached.TokenType,
                };
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(token, cached));
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } securityToken && result.ClaimsIdentity is { } identity)
        {
            Remember(token, securityToken, identity, result, now);
        }

        return result;
    }

    private void Remember(string token, SecurityToken securityToken, ClaimsIdentity identity, TokenValidationResult result, DateTime now)
    {
        var expires = now + lifetime;
        if (securityToken.ValidTo != DateTime.MinValue && securityToken.ValidTo < expires)
        {
            expires = securityToken.ValidTo;
        }

        if (expires <= now)
        {
            return;
        }

        SweepIfDue(now);
        if (_entries.Count < capacity)
        {
            _entries[token] = new Entry(securityToken, identity.Clone(), result.Issuer, result.TokenType, expires);
        }
    }

    /// <summary>Forgets expired tokens, at most once per cache lifetime (and whenever the cache is full).</summary>
    private void SweepIfDue(DateTime now)
    {
        if (!_sweep.TryPass(now.Ticks, lifetime.Ticks, force: _entries.Count >= capacity))
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresUtc <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(SecurityToken Token, ClaimsIdentity Identity, string? Issuer, string? TokenType, DateTime ExpiresUtc);
}
