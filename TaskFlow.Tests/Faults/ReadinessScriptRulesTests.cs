using System.Net.Sockets;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// The ready check against a stand-in gateway where every route works but one, which still answers 503 (its service
/// not ready yet): it must not print "ready", and it names the step that is not ready.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ReadinessScriptRulesTests
{
    [Theory]
    [InlineData("/tasks", "task")]
    [InlineData("/notifications", "notifications")]
    [InlineData("/webhooks", "webhooks")]
    public async Task The_ready_check_does_not_pass_while_one_route_answers_503(string unready, string step)
    {
        var port = FreeLoopbackPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var unreadyCalls = 0;
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var path = context.Request.Url?.AbsolutePath;
                var (status, body) = path switch
                {
                    _ when path == unready => (503, "{\"title\":\"Service unavailable\"}"),
                    "/users/register" => (201, "{}"),
                    "/users/login" => (200, "{\"accessToken\":\"token-1\",\"tokenType\":\"Bearer\"}"),
                    "/tasks" => (201, "{}"),
                    "/notifications" or "/webhooks" => (200, "{\"items\":[]}"),
                    _ => (404, "{}"),
                };
                if (path == unready)
                {
                    Interlocked.Increment(ref unreadyCalls);
                }

                context.Response.StatusCode = status;
                await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body));
                context.Response.Close();
            }
        });

        var (exitCode, output) = await ReadinessScript.RunAsync($"http://127.0.0.1:{port}", 6);
        await stop.CancelAsync();
        listener.Stop();
        await server;

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("ready:", output, StringComparison.Ordinal);
        Assert.Contains($"{step} last answered 503", output, StringComparison.Ordinal);
        Assert.True(unreadyCalls >= 1, $"the check never tried {unready}");
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
