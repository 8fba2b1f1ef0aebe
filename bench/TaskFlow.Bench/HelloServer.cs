using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Bench;

/// <summary>The reference row: a plain Kestrel app answering "hello", in its own process (this program, "hello" mode).</summary>
internal sealed class HelloServer : IAsyncDisposable
{
    private readonly Process _process;

    private HelloServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>The "hello" mode of this program.</summary>
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/", () => "hello");
        await app.RunAsync();
    }

    public static async Task<HelloServer> StartAsync()
    {
        var port = Nginx.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(HelloServer).Assembly.Location);
        start.ArgumentList.Add("hello");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("hello did not start");
        var endpoint = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var response = await probe.GetAsync(endpoint);
                return new HelloServer(process, endpoint);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("hello did not answer");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
