using System.Text.Json;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Users;

namespace TaskFlow.Tests.Standards;

/// <summary>
/// Generic OAuth 2 / OpenID Connect clients nobody here wrote — Duende.IdentityModel, Microsoft.IdentityModel's
/// configuration retriever, npm openid-client — discover TaskFlow through the gateway and use its token endpoint
/// (API.md, "Sessions at the edge"): the issuer is the gateway's public URL, equal to the tokens' <c>iss</c>.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class OAuthClientTests(TaskFlowAppFixture fixture)
{
    private const string ClientId = "taskflow";

    [Fact]
    public async Task Duende_discovery_validates_the_document_and_its_token_client_logs_in_and_refreshes()
    {
        using var http = fixture.CreateGatewayClient();
        var issuer = Issuer(http);
        var account = await UsersApiClient.RegisterAsync(http);

        // Duende's default policy: issuer name equal to the authority, every endpoint under it, a key set.
        var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = issuer,
            Policy = new DiscoveryPolicy { RequireHttps = false },
        });
        Assert.False(discovery.IsError, $"{discovery.ErrorType}: {discovery.Error}");
        Assert.Equal(issuer, discovery.Issuer);
        Assert.Equal(issuer + "/users/login", discovery.TokenEndpoint);
        Assert.NotEmpty(discovery.KeySet?.Keys ?? []);
        Assert.Equal(["password", "refresh_token"], discovery.GrantTypesSupported.Order());
        Assert.Equal(["none"], discovery.TokenEndpointAuthenticationMethodsSupported);

        var tokens = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = discovery.TokenEndpoint, ClientId = ClientId, ClientCredentialStyle = ClientCredentialStyle.PostBody,
            UserName = account.Email, Password = UsersApiClient.DefaultPassword,
        });
        Assert.False(tokens.IsError, $"{tokens.Error}: {tokens.ErrorDescription}");
        Assert.Equal(issuer, UsersApiClient.ReadPayload(tokens.AccessToken ?? "").GetProperty("iss").GetString());
        await AssertTokenWorksAsync(http, tokens.AccessToken);

        // Duende's default client credential style: HTTP Basic with the public client's id and no secret.
        var refreshed = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint, ClientId = ClientId, RefreshToken = tokens.RefreshToken ?? "",
        });
        Assert.False(refreshed.IsError, $"{refreshed.Error}: {refreshed.ErrorDescription}");
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        await AssertTokenWorksAsync(http, refreshed.AccessToken);

        // The rotated refresh token again, a wrong password, an unknown client, a grant TaskFlow does not offer.
        var reused = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint, ClientId = ClientId, ClientCredentialStyle = ClientCredentialStyle.PostBody, RefreshToken = tokens.RefreshToken ?? "",
        });
        AssertRefused(reused, HttpStatusCode.BadRequest, "invalid_grant");
        var wrongPassword = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = discovery.TokenEndpoint, ClientCredentialStyle = ClientCredentialStyle.PostBody, UserName = account.Email, Password = "not-the-password",
        });
        AssertRefused(wrongPassword, HttpStatusCode.BadRequest, "invalid_grant");
        var unknownClient = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = discovery.TokenEndpoint, ClientId = "intruder", ClientCredentialStyle = ClientCredentialStyle.PostBody,
            UserName = account.Email, Password = UsersApiClient.DefaultPassword,
        });
        AssertRefused(unknownClient, HttpStatusCode.Unauthorized, "invalid_client");
        var unsupported = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint, ClientId = ClientId, ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });
        AssertRefused(unsupported, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task Microsoft_configuration_retriever_reads_both_metadata_addresses_and_its_keys_validate_a_token()
    {
        using var http = fixture.CreateGatewayClient();
        var issuer = Issuer(http);
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = false };
        var oidc = await OpenIdConnectConfigurationRetriever.GetAsync(issuer + "/.well-known/openid-configuration", retriever, CancellationToken.None);
        var rfc8414 = await OpenIdConnectConfigurationRetriever.GetAsync(issuer + "/.well-known/oauth-authorization-server", retriever, CancellationToken.None);

        foreach (var configuration in new[] { oidc, rfc8414 })
        {
            Assert.Equal(issuer, configuration.Issuer);
            Assert.Equal(issuer + "/users/login", configuration.TokenEndpoint);
            Assert.Equal(issuer + "/.well-known/jwks.json", configuration.JwksUri);
            // Only what is true: no ID tokens, no authorization endpoint.
            Assert.Empty(configuration.IdTokenSigningAlgValuesSupported);
            Assert.Empty(configuration.ResponseTypesSupported);
            Assert.Null(configuration.AuthorizationEndpoint);
            Assert.NotEmpty(configuration.SigningKeys);
        }

        var user = await UsersApiClient.RegisterAndLoginAsync(http);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(user.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = oidc.Issuer, ValidAudience = "taskflow-api", IssuerSigningKeys = oidc.SigningKeys, ValidAlgorithms = ["RS256"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Openid_client_discovers_both_documents_and_uses_the_token_endpoint()
    {
        using var http = fixture.CreateGatewayClient();
        var issuer = Issuer(http);
        var account = await UsersApiClient.RegisterAsync(http);
        var environment = new Dictionary<string, string>
        {
            ["TASKFLOW_URL"] = issuer, ["TASKFLOW_EMAIL"] = account.Email, ["TASKFLOW_PASSWORD"] = UsersApiClient.DefaultPassword,
        };

        // The README's example: OIDC discovery, the password grant, a refresh.
        var example = await ContractTools.NodeAsync(Path.Combine(ContractTools.ExamplesFolder, "token.mjs"), environment);
        Assert.True(example.ExitCode == 0, example.ToString());
        var answer = JsonDocument.Parse(example.Output).RootElement;
        Assert.Equal(issuer, answer.GetProperty("issuer").GetString());
        Assert.Equal(900, answer.GetProperty("expires_in").GetInt32());
        await AssertTokenWorksAsync(http, answer.GetProperty("access_token").GetString());

        // RFC 8414 discovery and the RFC 6749 refusals as openid-client reports them.
        var check = await ContractTools.NodeAsync(Path.Combine(ContractTools.ContractFolder, "checks", "oauth-metadata.mjs"), environment);
        Assert.True(check.ExitCode == 0, check.ToString());
        var result = JsonDocument.Parse(check.Output).RootElement;
        Assert.Equal(issuer, result.GetProperty("metadata").GetProperty("issuer").GetString());
        Assert.Equal("invalid_grant", result.GetProperty("wrongPassword").GetProperty("error").GetString());
        Assert.Equal("invalid_client", result.GetProperty("unknownClient").GetProperty("error").GetString());
        Assert.Equal(401, result.GetProperty("unknownClient").GetProperty("status").GetInt32());
        Assert.Equal("unsupported_grant_type", result.GetProperty("unsupportedGrant").GetProperty("error").GetString());
    }

    /// <summary>The gateway's public base URL as the test reaches it: what the AppHost passed as the issuer.</summary>
    internal static string Issuer(HttpClient gateway) => gateway.BaseAddress?.GetLeftPart(UriPartial.Authority) ?? "";

    private static async Task AssertTokenWorksAsync(HttpClient http, string? accessToken)
    {
        using var me = await UsersApiClient.SendAuthorizedAsync(http, HttpMethod.Get, "/users/me", accessToken ?? "");
        await UsersApiClient.EnsureStatusAsync(me, HttpStatusCode.OK);
    }

    private static void AssertRefused(TokenResponse response, HttpStatusCode status, string error)
    {
        Assert.True(response.IsError, $"expected {error}, got a token");
        Assert.Equal(status, response.HttpStatusCode);
        // Duende reads the RFC 6749 body of a 400 into Error; of a 401 it reports the status, and the body is in Raw.
        var body = JsonDocument.Parse(response.Raw ?? "{}").RootElement;
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error_description").GetString()));
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.Equal(error, response.Error);
        }
    }
}
