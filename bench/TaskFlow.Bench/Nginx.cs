using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TaskFlow.Bench;

/// <summary>Debian's nginx as a plain reverse proxy (keep-alive upstream) in front of one endpoint: the reference hop.</summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private Nginx(Process process, string directory, Uri endpoint)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<Nginx> StartAsync(Uri upstream)
    {
        var directory = Path.Combine(Path.GetTempPath(), "taskflow-bench-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            worker_processes auto;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              upstream backend { server {{upstream.Host}}:{{upstream.Port}}; keepalive 64; }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://backend;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                }
              }
            }
            """);
        var start = new ProcessStartInfo("nginx") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        var endpoint = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await probe.GetAsync(new Uri(endpoint, "/health"));
                return new Nginx(process, directory, endpoint);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("nginx did not answer: " + await process.StandardError.ReadToEndAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
