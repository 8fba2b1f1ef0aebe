using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Users.Infrastructure.Tokens;
using static TaskFlow.Tests.Users.UsersApiClient;

namespace TaskFlow.Tests.Users;

/// <summary>Login (JSON and OAuth2 form), access tokens, refresh rotation, logout and discovery, on real PostgreSQL and Redis.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class UsersSessionTests(TaskFlowAppFixture fixture)
{
    private HttpClient Users() => fixture.CreateClient("users");

    [Fact]
    public async Task Json_login_returns_a_bearer_pair_with_an_RS256_token_carrying_the_contract_claims()
    {
        using var client = Users();
        var user = await RegisterAsync(client, displayName: "Ada");
        using var response = await client.PostAsJsonAsync("/users/login", new { email = user.Email.ToUpperInvariant(), password = DefaultPassword });

        await EnsureStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["accessToken", "expiresIn", "refreshToken", "tokenType"], json.RootElement.EnumerateObject().Select(p => p.Name).Order().ToArray());
        var tokens = json.Deserialize<TokenPair>(JsonSerializerOptions.Web);
        Assert.NotNull(tokens);
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.Equal(900, tokens.ExpiresIn);
        Assert.Equal(43, tokens.RefreshToken.Length); // 256 bits, base64url

        var header = ReadHeader(tokens.AccessToken);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
        var payload = ReadPayload(tokens.AccessToken);
        Assert.Equal(user.Id.ToString(), payload.GetProperty("sub").GetString());
        Assert.Equal(user.Email, payload.GetProperty("email").GetString());
        Assert.Equal("Ada", payload.GetProperty("name").GetString());
        Assert.Equal(["user"], ReadRoles(tokens.AccessToken));
        // The public issuer: the gateway's actual address (the AppHost passes it), not a name.
        Assert.Equal(PublicIssuer(), payload.GetProperty("iss").GetString());
        Assert.Equal("taskflow-api", payload.GetProperty("aud").GetString());
        Assert.Equal(900, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.True(payload.TryGetProperty("jti", out _));
        Assert.True(payload.TryGetProperty("sid", out _));
    }

    [Fact]
    public async Task OAuth2_password_form_login_answers_snake_case_names()
    {
        using var client = Users();
        var user = await RegisterAsync(client);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = user.Email,
            ["password"] = DefaultPassword,
        });
        using var response = await client.PostAsync("/users/login", form);

        await EnsureStatusAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(["access_token", "expires_in", "refresh_token", "token_type"], root.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(900, root.GetProperty("expires_in").GetInt32());

        using var me = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", root.GetProperty("access_token").GetString() ?? "");
        await EnsureStatusAsync(me, HttpStatusCode.OK);

        // Standard OAuth2 clients refresh at the token endpoint with grant_type=refresh_token.
        using var refreshForm = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = root.GetProperty("refresh_token").GetString() ?? "",
        });
        using var refreshed = await client.PostAsync("/users/login", refreshForm);
        await EnsureStatusAsync(refreshed, HttpStatusCode.OK);
        using var refreshedJson = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        Assert.NotEqual(root.GetProperty("refresh_token").GetString(), refreshedJson.RootElement.GetProperty("refresh_token").GetString());
    }

    [Theory]
    [InlineData("grant_type=client_credentials", "unsupported_grant_type")]
    [InlineData("username=a%40example.test&password=long+enough", "invalid_request")]
    [InlineData("grant_type=password&password=long+enough", "invalid_request")]
    [InlineData("grant_type=password&username=a%40example.test", "invalid_request")]
    [InlineData("grant_type=refresh_token", "invalid_request")]
    [InlineData("grant_type=password&username=nobody%40example.test&password=long+enough", "invalid_grant")]
    [InlineData("grant_type=refresh_token&refresh_token=not-a-refresh-token", "invalid_grant")]
    [InlineData("grant_type=password&username=a%40example.test&password=long+enough&client_id=someone-else", "invalid_client")]
    public async Task Refused_form_logins_answer_RFC_6749_errors(string body, string error)
    {
        using var client = Users();
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync("/users/login", content);
        Assert.Equal(error == "invalid_client" ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error_description").GetString()));
    }

    [Fact]
    public async Task Unknown_email_and_wrong_password_get_the_same_401_in_comparable_time()
    {
        using var client = Users();
        var user = await RegisterAsync(client);
        await LoginAsync(client, user.Email, DefaultPassword); // warm up

        async Task<(TimeSpan Elapsed, string Title, string? Detail)> AttemptAsync(string email)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync("/users/login", new { email, password = "wrong password" });
            watch.Stop();
            var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
            return (watch.Elapsed, problem.GetProperty("title").GetString() ?? "", problem.GetProperty("detail").GetString());
        }

        var wrong = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var w = await AttemptAsync(user.Email);
            var u = await AttemptAsync(NewEmail("nobody"));
            Assert.Equal(w.Title, u.Title);
            Assert.Equal(w.Detail, u.Detail);
            wrong.Add(w.Elapsed);
            unknown.Add(u.Elapsed);
        }

        // Without the placeholder hash an unknown email answers ~50x faster; with it both cost one PBKDF2 check.
        var wrongMedian = wrong.Order().ElementAt(2);
        var unknownMedian = unknown.Order().ElementAt(2);
        Assert.True(unknownMedian.TotalMilliseconds >= wrongMedian.TotalMilliseconds * 0.35,
            $"unknown email {unknownMedian.TotalMilliseconds:F0} ms vs wrong password {wrongMedian.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [InlineData("""{"email":"a@example.test"}""", "password")]
    [InlineData("""{"password":"long enough"}""", "email")]
    public async Task Json_login_without_a_field_returns_400(string body, string field)
    {
        using var client = Users();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/users/login", content);
        await AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task Login_with_malformed_json_returns_400_and_with_another_content_type_415()
    {
        using var client = Users();
        using (var malformed = new StringContent("{\"email\":", Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync("/users/login", malformed))
        {
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        }

        using var text = new StringContent("email=a", Encoding.UTF8, "text/plain");
        using var unsupported = await client.PostAsync("/users/login", text);
        await AssertProblemAsync(unsupported, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Refresh_rotates_and_reusing_a_rotated_token_revokes_the_whole_session()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client);

        var second = await RefreshAsync(client, ada.Tokens.RefreshToken);
        Assert.NotEqual(ada.Tokens.RefreshToken, second.RefreshToken);
        Assert.Equal(ReadPayload(ada.AccessToken).GetProperty("sid").GetString(), ReadPayload(second.AccessToken).GetProperty("sid").GetString());
        using (var me = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", second.AccessToken))
        {
            await EnsureStatusAsync(me, HttpStatusCode.OK);
        }

        // The first token was rotated: presenting it again is reuse.
        using (var reuse = await client.PostAsJsonAsync("/users/refresh", new { refreshToken = ada.Tokens.RefreshToken }))
        {
            await AssertProblemAsync(reuse, HttpStatusCode.Unauthorized);
        }

        // ...which revoked the family: the legitimate successor and the session's access tokens stop working too.
        using (var successor = await client.PostAsJsonAsync("/users/refresh", new { refreshToken = second.RefreshToken }))
        {
            await AssertProblemAsync(successor, HttpStatusCode.Unauthorized);
        }

        using var after = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", second.AccessToken);
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized);

        // Another session of the same user is untouched.
        var other = await LoginAsync(client, ada.User.Email, ada.Password);
        await RefreshAsync(client, other.RefreshToken);
    }

    [Theory]
    [InlineData("""{"refreshToken":"not-a-token"}""", HttpStatusCode.Unauthorized)]
    [InlineData("""{"refreshToken":""}""", HttpStatusCode.BadRequest)]
    [InlineData("""{}""", HttpStatusCode.BadRequest)]
    public async Task Refresh_with_an_unknown_or_missing_token_fails(string body, HttpStatusCode expected)
    {
        using var client = Users();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/users/refresh", content);
        await AssertProblemAsync(response, expected);
    }

    [Fact]
    public async Task Refresh_tokens_are_stored_only_as_SHA256_hashes_with_an_expiry()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis") ?? "");
        var database = redis.GetDatabase();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ada.Tokens.RefreshToken)));

        var ttl = await database.KeyTimeToLiveAsync("users:refresh:" + hash);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(13.9), TimeSpan.FromDays(14));
        Assert.False(await database.KeyExistsAsync("users:refresh:" + ada.Tokens.RefreshToken));
        var sid = ReadPayload(ada.AccessToken).GetProperty("sid").GetString();
        Assert.Equal(hash, (string?)await database.HashGetAsync("users:session:" + sid, "cur"));
    }

    [Fact]
    public async Task Logout_returns_204_and_ends_the_session_at_once()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client);

        using (var logout = await SendAuthorizedAsync(client, HttpMethod.Post, "/users/logout", ada.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using (var refresh = await client.PostAsJsonAsync("/users/refresh", new { refreshToken = ada.Tokens.RefreshToken }))
        {
            await AssertProblemAsync(refresh, HttpStatusCode.Unauthorized);
        }

        using var me = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", ada.AccessToken);
        await AssertProblemAsync(me, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_with_a_refresh_token_also_ends_that_session_of_the_caller()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client);
        var phone = await LoginAsync(client, ada.User.Email, ada.Password);
        var bob = await RegisterAndLoginAsync(client);

        using (var logout = await SendAuthorizedAsync(client, HttpMethod.Post, "/users/logout", ada.AccessToken, new { refreshToken = phone.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using (var refresh = await client.PostAsJsonAsync("/users/refresh", new { refreshToken = phone.RefreshToken }))
        {
            await AssertProblemAsync(refresh, HttpStatusCode.Unauthorized);
        }

        // Someone else's refresh token in the body does not log them out.
        var bobsOther = await LoginAsync(client, bob.User.Email, bob.Password);
        var carol = await RegisterAndLoginAsync(client);
        using (var logout = await SendAuthorizedAsync(client, HttpMethod.Post, "/users/logout", carol.AccessToken, new { refreshToken = bobsOther.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await RefreshAsync(client, bobsOther.RefreshToken);
    }

    [Fact]
    public async Task Expired_token_signed_with_the_real_key_returns_401_while_a_fresh_one_from_the_same_key_works()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client);
        var ring = new SigningKeyRing(SigningKeyRing.ImportPem(await File.ReadAllTextAsync(await GetDevelopmentKeyPathAsync(fixture))), []);
        Assert.Equal(ReadHeader(ada.AccessToken).GetProperty("kid").GetString(), ring.Current.KeyId);
        var sid = ReadPayload(ada.AccessToken).GetProperty("sid").GetString() ?? "";
        var issuer = ReadPayload(ada.AccessToken).GetProperty("iss").GetString() ?? "";
        var user = await GetDomainUserAsync(client, ada);

        var fresh = AccessTokenIssuer.Create(user, sid, ring.SigningCredentials, issuer, "taskflow-api", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        using (var ok = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", fresh.Value))
        {
            await EnsureStatusAsync(ok, HttpStatusCode.OK);
        }

        var expired = AccessTokenIssuer.Create(user, sid, ring.SigningCredentials, issuer, "taskflow-api", DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromMinutes(15));
        using var response = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", expired.Value);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && (h.Parameter ?? "").Contains("expired", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Tampered_tokens_return_401()
    {
        using var client = Users();
        var ada = await RegisterAndLoginAsync(client);
        var parts = ada.AccessToken.Split('.');
        var realKid = ReadHeader(ada.AccessToken).GetProperty("kid").GetString() ?? "";
        var user = await GetDomainUserAsync(client, ada);
        var sid = ReadPayload(ada.AccessToken).GetProperty("sid").GetString() ?? "";
        var issuer = ReadPayload(ada.AccessToken).GetProperty("iss").GetString() ?? "";

        // Altered payload, original signature: promote to admin.
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlTextEncoder.Decode(parts[1])))?.AsObject() ?? [];
        payload["role"] = new JsonArray("user", "admin");
        var altered = $"{parts[0]}.{Encode(payload.ToJsonString())}.{parts[2]}";

        // alg "none", no signature.
        var none = $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";

        // Signed by another RSA key that claims the real kid.
        using var otherRsa = RSA.Create(2048);
        var impostor = new RsaSecurityKey(otherRsa) { KeyId = realKid };
        var wrongKey = AccessTokenIssuer.Create(user, sid, new SigningCredentials(impostor, SecurityAlgorithms.RsaSha256),
            issuer, "taskflow-api", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Value;

        // HS256 with the published public key as the HMAC secret (algorithm confusion).
        var ring = new SigningKeyRing(SigningKeyRing.ImportPem(await File.ReadAllTextAsync(await GetDevelopmentKeyPathAsync(fixture))), []);
        var publicBytes = ring.PublicKeys[0].Parameters.Modulus ?? [];
        var hmac = new SymmetricSecurityKey(publicBytes) { KeyId = realKid };
        var confused = AccessTokenIssuer.Create(user, sid, new SigningCredentials(hmac, SecurityAlgorithms.HmacSha256),
            issuer, "taskflow-api", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Value;

        // Wrong audience, real key.
        var otherAudience = AccessTokenIssuer.Create(user, sid, ring.SigningCredentials, issuer, "someone-else", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Value;

        foreach (var (name, token) in new[] { ("altered payload", altered), ("alg none", none), ("wrong key", wrongKey), ("HS256 confusion", confused), ("wrong audience", otherAudience), ("garbage", "abc.def.ghi") })
        {
            using var response = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {(int)response.StatusCode}");
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }

        // The untouched original still works, so the 401s above are about the tampering.
        using var original = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", ada.AccessToken);
        await EnsureStatusAsync(original, HttpStatusCode.OK);

        static string Encode(string json) => Base64UrlTextEncoder.Encode(Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public async Task Discovery_metadata_and_JWKS_publish_the_signing_key_without_its_private_part()
    {
        using var client = Users();
        using var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration"));
        var root = discovery.RootElement;
        // Read from Users directly (as the services' JwtBearer handlers do): the public issuer and token endpoint, the
        // keys at the address the caller used.
        Assert.Equal(PublicIssuer(), root.GetProperty("issuer").GetString());
        var jwksUri = new Uri(root.GetProperty("jwks_uri").GetString() ?? "");
        Assert.Equal(client.BaseAddress?.Authority, jwksUri.Authority);
        Assert.Equal(PublicIssuer() + "/users/login", root.GetProperty("token_endpoint").GetString());
        // No ID tokens and no authorization endpoint, so nothing claims them.
        Assert.False(root.TryGetProperty("id_token_signing_alg_values_supported", out _));
        Assert.Empty(root.GetProperty("response_types_supported").EnumerateArray());

        using var jwks = JsonDocument.Parse(await client.GetStringAsync(jwksUri.PathAndQuery));
        var keys = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k =>
        {
            Assert.Equal("RSA", k.GetProperty("kty").GetString());
            Assert.Equal("RS256", k.GetProperty("alg").GetString());
            Assert.False(k.TryGetProperty("d", out _));
            Assert.False(k.TryGetProperty("p", out _));
        });

        var ada = await RegisterAndLoginAsync(client);
        var kid = ReadHeader(ada.AccessToken).GetProperty("kid").GetString();
        Assert.Contains(keys, k => k.GetProperty("kid").GetString() == kid);
    }

    [Fact]
    public async Task The_configured_admin_exists_and_can_log_in()
    {
        using var client = Users();
        var (email, _) = await GetAdminCredentialsAsync(fixture);
        var admin = await LoginAsAdminAsync(fixture, client);
        Assert.Equal(email, admin.User.Email);
        Assert.Equal(["user", "admin"], admin.User.Roles);
        Assert.Equal(["user", "admin"], ReadRoles(admin.AccessToken));
    }

    private string PublicIssuer()
    {
        using var gateway = fixture.CreateGatewayClient();
        return gateway.BaseAddress?.GetLeftPart(UriPartial.Authority) ?? "";
    }

    private static async Task<TokenSubject> GetDomainUserAsync(HttpClient client, SignedInUser signedIn)
    {
        using var me = await SendAuthorizedAsync(client, HttpMethod.Get, "/users/me", signedIn.AccessToken);
        var dto = await me.Content.ReadFromJsonAsync<UserDto>() ?? throw new InvalidOperationException("no user");
        return new TokenSubject(dto.Id, dto.Email, dto.DisplayName, dto.Roles);
    }
}
