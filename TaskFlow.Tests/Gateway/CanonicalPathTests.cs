using TaskFlow.Gateway.Routing;

namespace TaskFlow.Tests.Gateway;

/// <summary>The gateway's canonical spelling of a path (after Kestrel's own decoding and dot-segment removal).</summary>
[Trait("Category", "Unit")]
public sealed class CanonicalPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/users/login", "/users/login")]
    [InlineData("/USERS/Login", "/USERS/Login")]
    [InlineData("/docs/", "/docs/")]
    public void Canonical_paths_are_left_alone(string path, string expected)
    {
        Assert.Equal(CanonicalPathResult.Canonical, CanonicalPath.Canonicalize(path, out var canonical));
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("/users/login/", "/users/login")]
    [InlineData("//users/login", "/users/login")]
    [InlineData("/users//login", "/users/login")]
    [InlineData("/users/login//", "/users/login")]
    [InlineData("///", "/")]
    [InlineData("/docs//v1/", "/docs/v1/")]
    public void Repeated_and_trailing_slashes_are_removed(string path, string expected)
    {
        Assert.Equal(CanonicalPathResult.Rewritten, CanonicalPath.Canonicalize(path, out var canonical));
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("/users%2Flogin")]
    [InlineData("/users/login%2f")]
    [InlineData("/users%5Clogin")]
    [InlineData("/users\\login")]
    [InlineData("/users/log\u0000in")]
    public void Ambiguous_paths_are_rejected(string path)
    {
        Assert.Equal(CanonicalPathResult.Rejected, CanonicalPath.Canonicalize(path, out _));
    }
}
