using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// A probe that gives up does not cancel the health checks it started: on a busy start a probe's short timeout used to
/// cancel a database check halfway, which then reported Unhealthy and was logged as an error. Through the real service
/// defaults on a loopback port; the probe is a raw socket that resets the connection while a slow check runs.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HealthProbeAbortTests
{
    private sealed class SlowCheck : IHealthCheck
    {
        public TaskCompletionSource<bool> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True when the check ran to its end, false when it was cancelled.</summary>
        public TaskCompletionSource<bool> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult(true);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(800), cancellationToken);
                Finished.TrySetResult(true);
                return HealthCheckResult.Healthy();
            }
            catch (OperationCanceledException)
            {
                Finished.TrySetResult(false);
                throw;
            }
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task A_probe_that_disconnects_mid_check_leaves_the_check_to_finish(string path)
    {
        var check = new SlowCheck();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ApplicationName = "health-probe" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("slow", check, tags: [Microsoft.Extensions.Hosting.Extensions.LiveTag]);
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First() ?? throw new InvalidOperationException("no address"));

        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await probe.ConnectAsync("127.0.0.1", address.Port);
            await probe.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            await check.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
            // The probe gives up: the connection is reset while the check runs (the fault this test is about).
            probe.LingerState = new LingerOption(true, 0);
            probe.Close();
        }

        Assert.True(await check.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10)), "the health check was cancelled when its probe went away");
    }
}
