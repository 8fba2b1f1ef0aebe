using System.Text;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// The refusals the gateway makes before routing (an ambiguously spelled path, a declared body over 1 MiB) are
/// answers like any other: they carry the request id an operator traces them by and the security headers.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class GatewayRefusalHeadersTests(TaskFlowAppFixture fixture)
{
    private const string RequestId = "refusal-check-42";

    [Fact]
    public async Task An_ambiguous_path_is_refused_with_the_request_id_and_the_security_headers()
    {
        var response = await RawHttp.SendAsync(fixture, "GET", "/assets/..%2Fusers/me", TaskFlowAppFixture.RandomClientIp(),
            extraHeaders: [$"X-Request-Id: {RequestId}"]);

        Assert.True(response.IsProblem(400), response.ToString());
        AssertEdgeHeaders(response);
    }

    [Fact]
    public async Task A_declared_body_over_the_limit_is_refused_with_the_request_id_and_the_security_headers()
    {
        const int bodyBytes = 2 * 1024 * 1024;
        using var tcp = await RawHttp.ConnectAsync(fixture);
        var stream = tcp.GetStream();
        var head = $"POST /users/register HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n" +
            $"Content-Length: {bodyBytes}\r\nX-Forwarded-For: {TaskFlowAppFixture.RandomClientIp()}\r\nX-Request-Id: {RequestId}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[bodyBytes]);
        var response = await RawHttp.ReadAsync(stream);

        Assert.True(response.IsProblem(413), response.ToString());
        AssertEdgeHeaders(response);
    }

    private static void AssertEdgeHeaders(RawHttpResponse response)
    {
        Assert.Equal(RequestId, response.Header("X-Request-Id"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Header("Content-Security-Policy"));
        Assert.StartsWith("1.1 gateway-", response.Header("Via") ?? "", StringComparison.Ordinal);
    }
}
