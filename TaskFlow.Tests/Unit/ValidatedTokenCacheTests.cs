using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskFlow.ServiceDefaults.Authentication;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// <see cref="ValidatedTokenCache"/>: a token that validated is not validated again for the cache lifetime (never past
/// its expiry), a rejected one always is, and every request gets its own identity. The inner handler is the real
/// JsonWebTokenHandler, counted.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly TestTokenIssuer _issuer = new();
    private readonly CountingHandler _inner = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => _issuer.Dispose();

    private TokenValidationParameters Parameters => new()
    {
        ValidIssuer = TestTokenIssuer.Issuer,
        ValidAudience = TestTokenIssuer.Audience,
        IssuerSigningKey = _issuer.Key,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ClockSkew = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task A_token_that_validated_is_not_validated_again_within_the_lifetime()
    {
        var cache = new ValidatedTokenCache(_inner, _time, Lifetime);
        var token = _issuer.Mint("alice");

        var first = await cache.ValidateTokenAsync(token, Parameters);
        _time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        var second = await cache.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid && second.IsValid);
        Assert.Equal(1, _inner.Calls);
        Assert.Equal("alice", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal(first.SecurityToken.Id, second.SecurityToken.Id);
        Assert.Equal(((JsonWebToken)first.SecurityToken).EncodedToken, ((JsonWebToken)second.SecurityToken).EncodedToken);
    }

    [Fact]
    public async Task A_rejected_token_is_validated_again_every_time()
    {
        var cache = new ValidatedTokenCache(_inner, _time, Lifetime);
        var token = _issuer.Mint("mallory", audience: "another-api");

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var second = await cache.ValidateTokenAsync(token, Parameters);

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.IsType<SecurityTokenInvalidAudienceException>(second.Exception);
        Assert.Equal(2, _inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task After_the_lifetime_the_token_is_validated_again()
    {
        var cache = new ValidatedTokenCache(_inner, _time, Lifetime);
        var token = _issuer.Mint("alice");

        await cache.ValidateTokenAsync(token, Parameters);
        _time.Advance(Lifetime);
        var again = await cache.ValidateTokenAsync(token, Parameters);

        Assert.True(again.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_token_is_never_taken_from_the_cache_past_its_expiry()
    {
        var cache = new ValidatedTokenCache(_inner, _time, Lifetime);
        var token = _issuer.Mint("alice", expiresIn: TimeSpan.FromSeconds(20));

        await cache.ValidateTokenAsync(token, Parameters);
        _time.Advance(TimeSpan.FromSeconds(21));
        await cache.ValidateTokenAsync(token, Parameters);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task What_one_request_adds_to_its_identity_does_not_reach_the_next()
    {
        var cache = new ValidatedTokenCache(_inner, _time, Lifetime);
        var token = _issuer.Mint("alice");

        var first = await cache.ValidateTokenAsync(token, Parameters);
        first.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var second = await cache.ValidateTokenAsync(token, Parameters);
        second.ClaimsIdentity.AddClaim(new Claim("extra", "1"));
        var third = await cache.ValidateTokenAsync(token, Parameters);

        Assert.Null(second.ClaimsIdentity.FindFirst("role"));
        Assert.Null(third.ClaimsIdentity.FindFirst("role"));
        Assert.Null(third.ClaimsIdentity.FindFirst("extra"));
        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
    }

    [Fact]
    public async Task At_most_capacity_tokens_are_held_and_others_are_still_validated()
    {
        var cache = new ValidatedTokenCache(_inner, _time, Lifetime, capacity: 2);
        var tokens = new[] { _issuer.Mint("a"), _issuer.Mint("b"), _issuer.Mint("c") };

        foreach (var token in tokens.Concat(tokens))
        {
            Assert.True((await cache.ValidateTokenAsync(token, Parameters)).IsValid);
        }

        Assert.Equal(2, cache.Count);
        Assert.Equal(4, _inner.Calls); // a, b, c, then c again: only the first two were remembered
    }

    /// <summary>The real handler, counting the validations that reach it.</summary>
    private sealed class CountingHandler : JsonWebTokenHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
