using TaskFlow.ServiceDefaults.Authentication;

namespace TaskFlow.Tests.Standards;

/// <summary>Jwt:Issuer is a public base URL (RFC 8414 section 2, API.md): services refuse to start with anything else.</summary>
[Trait("Category", "Unit")]
public sealed class IssuerSettingTests
{
    [Theory]
    [InlineData("http://localhost:8080", true)]
    [InlineData("https://taskflow.example.com", true)]
    [InlineData("https://example.com/taskflow", true)]
    [InlineData("http://localhost:8080/", false)]
    [InlineData("taskflow-users", false)]
    [InlineData("https://example.com?tenant=1", false)]
    [InlineData("https://example.com#x", false)]
    [InlineData("ftp://example.com", false)]
    [InlineData("https://user:secret@example.com", false)]
    public void Only_an_absolute_http_url_without_trailing_slash_query_or_fragment_is_an_issuer(string issuer, bool valid) =>
        Assert.Equal(valid, JwtValidationOptions.IsValidIssuer(issuer));

    [Fact]
    public void The_default_is_the_local_gateway_address() =>
        Assert.Equal("http://localhost:8080", new JwtValidationOptions().Issuer);
}
