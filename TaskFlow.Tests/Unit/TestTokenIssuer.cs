using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// A test token issuer at the process edge: its own RSA key, published as the OpenID discovery document and JWKS
/// that the services' real JwtBearer configuration fetches from the Users service (<c>http://users</c>).
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string Issuer = TaskFlow.ServiceDefaults.Authentication.JwtValidationOptions.DefaultIssuer;
    public const string Audience = "taskflow-api";
    private const string JwksPath = "/.well-known/jwks.json";

    private readonly RSA _rsa = RSA.Create(2048);

    public TestTokenIssuer()
    {
        Key = new RsaSecurityKey(_rsa) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };
    }

    public RsaSecurityKey Key { get; }

    /// <summary>Requests the services made to the discovery or JWKS addresses.</summary>
    public int MetadataRequests { get; private set; }

    public string Mint(
        string subject,
        string algorithm = SecurityAlgorithms.RsaSha256,
        string issuer = Issuer,
        string audience = Audience,
        TimeSpan? expiresIn = null,
        SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(15));
        var notBefore = expires < now ? expires - TimeSpan.FromHours(1) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = "tester" },
            SigningCredentials = new SigningCredentials(key ?? Key, algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string MintUnsigned(string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = subject, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 900,
        }));
        return $"{header}.{payload}.";
    }

    /// <summary>Answers the discovery and JWKS requests; anything else is a 404.</summary>
    public HttpResponseMessage? TryAnswer(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        var origin = request.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Authority) : "http://users";
        string body;
        if (path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            body = JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = Issuer, ["jwks_uri"] = origin + JwksPath });
        }
        else if (path.EndsWith(JwksPath, StringComparison.Ordinal))
        {
            var parameters = _rsa.ExportParameters(includePrivateParameters: false);
            body = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["kid"] = Key.KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    },
                },
            });
        }
        else
        {
            return null;
        }

        MetadataRequests++;
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }

    public void Dispose() => _rsa.Dispose();
}
