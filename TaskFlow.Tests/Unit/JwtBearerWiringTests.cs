using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The services' own bearer-token validation, not a copy of its parameters: a host is built with the real
/// <c>AddTaskFlowAuthentication</c>, and tokens go through the real JwtBearer handler. Only the process edge is
/// replaced: the Users service's discovery document and JWKS come from <see cref="TestTokenIssuer"/> through the
/// product's own metadata HttpClient.
/// </summary>
[Trait("Category", "Unit")]
public sealed class JwtBearerWiringTests : IAsyncLifetime
{
    private static readonly string Subject = Guid.NewGuid().ToString();
    private readonly TestTokenIssuer _issuer = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddTaskFlowAuthentication();
        builder.Services.AddHttpClient(AuthenticationExtensions.MetadataHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new StubHttpHandler(request =>
                _issuer.TryAnswer(request) ?? new HttpResponseMessage(HttpStatusCode.NotFound)));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _issuer.Dispose();
    }

    private async Task<AuthenticateResult> AuthenticateAsync(string token)
    {
        using var scope = _host.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + token;
        return await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
    }

    [Fact]
    public async Task A_current_RS256_token_from_the_issuer_key_is_accepted()
    {
        var result = await AuthenticateAsync(_issuer.Mint(Subject));

        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal(Subject, result.Principal!.FindFirst("sub")?.Value);
        Assert.True(_issuer.MetadataRequests > 0, "the keys must come from the issuer's JWKS through the metadata client");
    }

    [Fact]
    public async Task A_token_that_validated_is_remembered_and_still_goes_through_the_bearer_handler()
    {
        var options = _host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var cache = Assert.IsType<TaskFlow.ServiceDefaults.Authentication.ValidatedTokenCache>(Assert.Single(options.TokenHandlers));
        var token = _issuer.Mint(Subject);

        var first = await AuthenticateAsync(token);
        var second = await AuthenticateAsync(token);

        Assert.True(first.Succeeded && second.Succeeded, second.Failure?.ToString());
        Assert.Equal(1, cache.Count);
        Assert.Equal(Subject, second.Principal!.FindFirst("sub")?.Value);
        Assert.NotSame(first.Principal!.Identity, second.Principal.Identity);
        Assert.Equal(first.Properties!.ExpiresUtc, second.Properties!.ExpiresUtc);
    }

    [Fact]
    public async Task An_expired_token_is_rejected()
    {
        var result = await AuthenticateAsync(_issuer.Mint(Subject, expiresIn: TimeSpan.FromMinutes(-10)));

        Assert.False(result.Succeeded);
        Assert.IsAssignableFrom<SecurityTokenExpiredException>(result.Failure);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha512)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    public async Task A_token_signed_by_the_issuer_key_with_another_algorithm_than_RS256_is_rejected(string algorithm)
    {
        var result = await AuthenticateAsync(_issuer.Mint(Subject, algorithm));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
    }

    [Fact]
    public async Task An_HS256_token_is_rejected_even_when_keyed_with_the_public_modulus()
    {
        var modulus = _issuer.Key.Rsa.ExportParameters(includePrivateParameters: false).Modulus!;
        var hmacKey = new SymmetricSecurityKey(modulus) { KeyId = _issuer.Key.KeyId };

        var result = await AuthenticateAsync(_issuer.Mint(Subject, SecurityAlgorithms.HmacSha256, key: hmacKey));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_rejected()
    {
        var result = await AuthenticateAsync(TestTokenIssuer.MintUnsigned(Subject));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_rejected()
    {
        var result = await AuthenticateAsync(_issuer.Mint(Subject, audience: "another-api"));

        Assert.False(result.Succeeded);
        Assert.IsAssignableFrom<SecurityTokenInvalidAudienceException>(result.Failure);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_rejected()
    {
        var result = await AuthenticateAsync(_issuer.Mint(Subject, issuer: "someone-else"));

        Assert.False(result.Succeeded);
        Assert.IsAssignableFrom<SecurityTokenInvalidIssuerException>(result.Failure);
    }

    [Fact]
    public async Task A_token_signed_by_a_key_the_issuer_does_not_publish_is_rejected()
    {
        using var otherRsa = RSA.Create(2048);
        var other = new RsaSecurityKey(otherRsa) { KeyId = _issuer.Key.KeyId };

        var result = await AuthenticateAsync(_issuer.Mint(Subject, key: other));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
    }
}
