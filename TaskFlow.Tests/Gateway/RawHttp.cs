using System.Globalization;
using System.Net.Sockets;
using System.Text;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Gateway;

/// <summary>
/// HTTP/1.1 over a plain socket, for what HttpClient would not put on the wire: its <see cref="Uri"/> removes dot
/// segments and may decode percent-encoded letters, and it cannot send a large body without waiting for the answer.
/// The request target goes out exactly as given; every request says <c>Connection: close</c> and the answer is read
/// to the end of the connection.
/// </summary>
public static class RawHttp
{
    public static async Task<RawHttpResponse> SendAsync(
        TaskFlowAppFixture fixture, string method, string target, string clientIp, string? body = null, string? token = null,
        IEnumerable<string>? extraHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: localhost\r\nConnection: close\r\n")
            .Append("X-Forwarded-For: ").Append(clientIp).Append("\r\n");
        if (token is not null)
        {
            head.Append("Authorization: Bearer ").Append(token).Append("\r\n");
        }

        if (body is not null)
        {
            head.Append("Content-Type: application/json\r\nContent-Length: ").Append(bytes.Length).Append("\r\n");
        }

        foreach (var header in extraHeaders ?? [])
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        using var tcp = await ConnectAsync(fixture);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(bytes);
        return await ReadAsync(stream);
    }

    public static async Task<TcpClient> ConnectAsync(TaskFlowAppFixture fixture, string resource = "gateway")
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var endpoint = fixture.App.GetEndpoint(resource, "http");
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
        return tcp;
    }

    /// <summary>Reads one answer to the end of the connection (the request said <c>Connection: close</c>).</summary>
    public static async Task<RawHttpResponse> ReadAsync(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, timeout.Token);
        var text = Encoding.UTF8.GetString(all.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete answer on the wire: '{text[..Math.Min(text.Length, 200)]}'");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new RawHttpResponse(status, headers, text[(end + 4)..]);
    }
}
