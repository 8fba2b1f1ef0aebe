using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskFlow.Users.Infrastructure.Passwords;
using TaskFlow.Users.Infrastructure.Tokens;
using TaskFlow.Users.Model;

namespace TaskFlow.Tests.Users;

/// <summary>Unit tests of token issuing, the signing key ring and password hashing.</summary>
[Trait("Category", "Unit")]
public sealed class TokenAndPasswordTests
{
    private const string Issuer = "taskflow-users";
    private const string Audience = "taskflow-api";

    private static readonly SigningKeyRing Ring = new(RSA.Create(2048), []);

    private static TokenValidationParameters Validation(SigningKeyRing ring) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        IssuerSigningKeys = ring.PublicKeys,
        ClockSkew = TimeSpan.FromSeconds(5),
    };

    private static TokenSubject SampleUser() =>
        TokenSubject.From(User.Register("ada@example.com", "Ada", "hash", DateTimeOffset.UtcNow, [Roles.Admin]));

    [Fact]
    public async Task Issued_token_carries_the_contract_claims_and_validates()
    {
        var user = SampleUser();
        var now = DateTimeOffset.UtcNow;
        var token = AccessTokenIssuer.Create(user, "session-1", Ring.SigningCredentials, Issuer, Audience, now, TimeSpan.FromMinutes(15));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Value, Validation(Ring));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(Ring.Current.KeyId, jwt.Kid);
        Assert.Equal(user.UserId.ToString(), jwt.Subject);
        Assert.Equal("ada@example.com", jwt.GetClaim("email").Value);
        Assert.Equal("Ada", jwt.GetClaim("name").Value);
        Assert.Equal(["user", "admin"], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value).ToArray());
        Assert.Equal("session-1", jwt.GetClaim("sid").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(TimeSpan.FromMinutes(15), jwt.ValidTo - jwt.IssuedAt);
        Assert.Equal(now.ToUnixTimeSeconds() + 900, token.ExpiresAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Expired_token_fails_validation()
    {
        var token = AccessTokenIssuer.Create(SampleUser(), "s", Ring.SigningCredentials, Issuer, Audience,
            DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromMinutes(15));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Value, Validation(Ring));
        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(result.Exception);
    }

    [Fact]
    public async Task Token_signed_by_another_key_fails_validation()
    {
        var other = new SigningKeyRing(RSA.Create(2048), []);
        var token = AccessTokenIssuer.Create(SampleUser(), "s", other.SigningCredentials, Issuer, Audience, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Value, Validation(Ring));
        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Previous_key_keeps_validating_after_rotation()
    {
        var oldKey = RSA.Create(2048);
        var oldRing = new SigningKeyRing(oldKey, []);
        var rotated = new SigningKeyRing(RSA.Create(2048), [oldKey]);
        Assert.Equal(2, rotated.PublicKeys.Count);
        Assert.NotEqual(oldRing.Current.KeyId, rotated.Current.KeyId);
        Assert.Equal(oldRing.Current.KeyId, rotated.PublicKeys[1].KeyId);

        var token = AccessTokenIssuer.Create(SampleUser(), "s", oldRing.SigningCredentials, Issuer, Audience, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Value, Validation(rotated));
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public void Key_id_is_the_RFC7638_thumbprint_and_public_keys_have_no_private_part()
    {
        using var rsa = RSA.Create(2048);
        var ring = new SigningKeyRing(rsa, []);
        Assert.Equal(SigningKeyRing.ComputeKeyId(rsa), ring.Current.KeyId);
        Assert.Equal(43, ring.Current.KeyId.Length); // base64url of a SHA-256
        Assert.Null(ring.PublicKeys[0].Parameters.D);
        Assert.NotNull(ring.PublicKeys[0].Parameters.Modulus);
    }

    [Fact]
    public async Task Replicas_starting_together_share_one_generated_development_key()
    {
        var directory = Path.Combine(Path.GetTempPath(), "taskflow-keytest-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(directory, SigningKeyRing.DevelopmentKeyFileName);
            var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SigningKeyRing.LoadOrCreateDevelopmentKey(path))));
            var ids = keys.Select(SigningKeyRing.ComputeKeyId).Distinct().ToList();
            Assert.Single(ids);
            Assert.Equal(ids[0], SigningKeyRing.ComputeKeyId(SigningKeyRing.LoadOrCreateDevelopmentKey(path)));
            Assert.Single(Directory.GetFiles(directory)); // no temporary files left behind
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Outside_development_a_missing_signing_key_fails_at_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            SigningKeyRing.Create(new TokenOptions(), "Production", NullLogger.Instance));
        Assert.Contains("SigningKey", error.Message);
    }

    [Fact]
    public void Configured_PEM_key_is_used_for_signing()
    {
        using var rsa = RSA.Create(2048);
        var ring = SigningKeyRing.Create(new TokenOptions { SigningKey = rsa.ExportPkcs8PrivateKeyPem() }, "Production", NullLogger.Instance);
        Assert.Equal(SigningKeyRing.ComputeKeyId(rsa), ring.Current.KeyId);
    }

    [Fact]
    public void Short_or_invalid_PEM_keys_are_rejected()
    {
        using var small = RSA.Create(1024);
        Assert.Throws<OptionsValidationException>(() => SigningKeyRing.ImportPem(small.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<OptionsValidationException>(() => SigningKeyRing.ImportPem("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"));
    }

    [Fact]
    public async Task Password_hash_is_salted_PBKDF2_with_the_configured_iterations()
    {
        using var hashing = new PasswordHashing(Options.Create(new PasswordHashingOptions { Iterations = 100_000 }));
        var first = await hashing.HashAsync("correct horse", CancellationToken.None);
        var second = await hashing.HashAsync("correct horse", CancellationToken.None);

        Assert.NotEqual(first, second); // salted
        Assert.DoesNotContain("correct horse", first);
        Assert.Equal(100_000, PasswordHashing.ReadIterations(first));
        Assert.Equal(PasswordCheck.Succeeded, await hashing.VerifyAsync(first, "correct horse", CancellationToken.None));
        Assert.Equal(PasswordCheck.Failed, await hashing.VerifyAsync(first, "correct horsE", CancellationToken.None));
    }

    [Fact]
    public async Task Raising_the_iteration_count_asks_for_a_rehash()
    {
        using var old = new PasswordHashing(Options.Create(new PasswordHashingOptions { Iterations = 100_000 }));
        using var current = new PasswordHashing(Options.Create(new PasswordHashingOptions { Iterations = 120_000 }));
        var hash = await old.HashAsync("correct horse", CancellationToken.None);
        Assert.Equal(PasswordCheck.SucceededRehashNeeded, await current.VerifyAsync(hash, "correct horse", CancellationToken.None));
    }

    [Fact]
    public void Default_work_factor_is_OWASPs_210000() =>
        Assert.Equal(210_000, new PasswordHashingOptions().Iterations);
}
