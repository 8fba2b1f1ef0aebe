using System.Net.Sockets;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// The ready check against a stand-in gateway whose users routes work but whose tasks route still answers 503 (its
/// service not ready yet): it must not print "ready".
/// </summary>
[Trait("Category", "Unit")]
public sealed class ReadinessScriptRulesTests
{
    [Fact]
    public async Task The_ready_check_does_not_pass_while_create_task_answers_503()
    {
        var port = FreeLoopbackPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var tasksCalls = 0;
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

                var (status, body) = context.Request.Url?.AbsolutePath switch
                {
                    "/users/register" => (201, "{}"),
                    "/users/login" => (200, "{\"accessToken\":\"token-1\",\"tokenType\":\"Bearer\"}"),
                    "/tasks" => (503, "{\"title\":\"Service unavailable\"}"),
                    _ => (404, "{}"),
                };
                if (context.Request.Url?.AbsolutePath == "/tasks")
                {
                    Interlocked.Increment(ref tasksCalls);
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
        Assert.Contains("task last answered 503", output, StringComparison.Ordinal);
        Assert.True(tasksCalls >= 1, "the check never tried create-task");
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
