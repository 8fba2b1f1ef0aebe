using System.Diagnostics;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Tests.Infrastructure;

/// <summary>
/// Starts the whole AppHost once per test collection in local mode (local PostgreSQL, Redis, RabbitMQ and the
/// MongoDB stand-in as processes), on free ports with a throw-away data directory, and waits until every
/// resource is healthy. Tests stay independent through fresh users and data.
/// </summary>
public sealed class TaskFlowAppFixture : IAsyncLifetime
{
    public static readonly string[] ServiceNames = ["users", "tasks", "notifier", "webhooks", "graph", "web", "gateway"];
    public static readonly string[] BackingNames = ["postgres", "redis", "rabbitmq", "mongo"];

    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The run's throw-away data root (what the AppHost derives local servers' directories and names from).</summary>
    public string DataRoot => _dataRoot;

    public TimeSpan StartupTime { get; private set; }

    /// <summary>When every resource was healthy and every route available: the end of the clean start.</summary>
    public DateTime ReadyAtUtc { get; private set; }

    /// <summary>Every span the services export (OTLP) during the run.</summary>
    internal TaskFlow.Bench.OtlpTraceReceiver Telemetry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataRoot);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
        [
            "--TaskFlow:Infrastructure=local",
            $"--TaskFlow:DataRoot={_dataRoot}",
            "--TaskFlow:GatewayPort=0",
            // The test client stands behind a "proxy" on loopback so each test can be its own client IP.
            "--TaskFlow:GatewayTrustedProxies=127.0.0.1",
            // Two gateways, as in production: rate limits must hold across them.
            "--TaskFlow:GatewayReplicas=2",
        ]);
        // Webhook retries in seconds rather than the contract's minutes to hours (the defaults, checked by unit tests), so
        // the retry tests take seconds; only this run's configuration changes, not the product's.
        Webhooks.WebhookTestSupport.ShortenRetries(builder);
        // The testing builder runs no dashboard but still points every service's OTLP exporter at it; each service
        // would then spend its shutdown retrying the export (about 10 s), past DCP's stop timeout, and stopping a
        // replica would fail. The services export to this in-process receiver instead, which the telemetry tests read.
        Telemetry = await TaskFlow.Bench.OtlpTraceReceiver.StartAsync();
        Telemetry.ReceiveFrom(builder);
        // Keep test output readable: resources' stderr and real AppHost errors, not every startup health probe.
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Default", LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System", LogLevel.Warning)
            .AddFilter("Aspire", LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
            .AddFilter("Polly", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("TaskFlow.AppHost.Resources", LogLevel.Warning));
        // Tests assert on the first answer: no retries (they would hide a failure or double a POST) and no circuit
        // breaker (one test's expected 429s or 503s must not fail the next test's requests).
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
#pragma warning disable EXTEXP0001 // the testing builder adds a standard resilience handler; remove it
            http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
            http.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(60));
        });

        _app = await builder.BuildAsync();
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await _app.StartAsync(startTimeout.Token);
        foreach (var name in BackingNames.Concat(ServiceNames))
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, startTimeout.Token);
        }

        // The gateway starts before the services it routes to; its active probes see them healthy within one interval.
        await Gateway.GatewayTestSupport.WaitForRoutesHealthyAsync(this);
        StartupTime = started.Elapsed;
        ReadyAtUtc = DateTime.UtcNow;
    }

    /// <summary>
    /// A client of the public API. Each client gets its own client IP (X-Forwarded-For from the trusted loopback
    /// proxy), so per-IP rate limits of one test never throttle another.
    /// </summary>
    public HttpClient CreateGatewayClient(string? clientIp = null)
    {
        var client = App.CreateHttpClient("gateway", "http");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp ?? RandomClientIp());
        return client;
    }

    public static string RandomClientIp() =>
        $"198.51.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";

    public HttpClient CreateClient(string resource, string endpoint = "http") => App.CreateHttpClient(resource, endpoint);

    public async Task<string?> GetConnectionStringAsync(string resource) => await App.GetConnectionStringAsync(resource);

    /// <summary>
    /// Runs a resource command (e.g. "resource-stop") on a resource or one replica (by instance id) and fails the
    /// test, with the command's own error, unless it succeeded.
    /// </summary>
    public async Task<ExecuteCommandResult> ExecuteCommandAsync(string resource, string command, CancellationToken ct = default)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, ct);
        Assert.True(result.Success,
            $"{command} on {resource} failed: {result.Message ?? (result.Canceled ? "canceled" : "no error message")}");
        return result;
    }

    /// <summary>Stops a resource (or one replica) and confirms its process has exited before returning.</summary>
    public async Task StopResourceAsync(string resource, CancellationToken ct = default)
    {
        await ExecuteCommandAsync(resource, "resource-stop", ct);
        await WaitForResourceStateAsync(resource, "stopped (Exited or Finished)",
            snapshot => snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), ct);
    }

    /// <summary>Starts a stopped resource (or one replica) and waits until it is Running and its health checks pass.</summary>
    public async Task StartResourceAsync(string resource, CancellationToken ct = default)
    {
        await ExecuteCommandAsync(resource, "resource-start", ct);
        await WaitForResourceStateAsync(resource, "Running and Healthy",
            snapshot => snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy, ct);
    }

    /// <summary>
    /// Waits (2 minutes at most) until the snapshot of a resource, or of one replica by instance id, satisfies
    /// <paramref name="condition"/>; fails the test with the last state seen otherwise.
    /// </summary>
    public async Task<CustomResourceSnapshot> WaitForResourceStateAsync(
        string resource, string description, Func<CustomResourceSnapshot, bool> condition, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        CustomResourceSnapshot? last = null;
        try
        {
            await foreach (var e in App.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (e.ResourceId != resource && e.Resource.Name != resource)
                {
                    continue;
                }

                last = e.Snapshot;
                if (condition(e.Snapshot))
                {
                    return e.Snapshot;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }

        Assert.Fail($"{resource} did not become {description}; last state {last?.State?.Text ?? "none"}, health {last?.HealthStatus?.ToString() ?? "none"}");
        throw new UnreachableException();
    }

    /// <summary>Confirms nothing accepts connections on a resource's endpoint any more (the fault really happened).</summary>
    public async Task AssertNotListeningAsync(string resource, string endpoint = "tcp")
    {
        var uri = App.GetEndpoint(resource, endpoint);
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var refused = false;
        try
        {
            await tcp.ConnectAsync(uri.Host, uri.Port, timeout.Token);
        }
        catch (SocketException)
        {
            refused = true;
        }

        Assert.True(refused, $"{resource} still accepts connections on {uri.Host}:{uri.Port}");
    }

    /// <summary>The instance ids (e.g. "tasks-abc123") of a resource's replicas, for commands on one replica.</summary>
    public async Task<IReadOnlyList<string>> GetReplicaIdsAsync(string resource, int expected, CancellationToken ct = default)
    {
        var ids = new HashSet<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var e in App.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (e.Resource.Name == resource && e.Snapshot.State?.Text == KnownResourceStates.Running)
                {
                    ids.Add(e.ResourceId);
                    if (ids.Count >= expected)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }

        return [.. ids];
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be closing a file; the directory is under /tmp and harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DistributedAppCollection : ICollectionFixture<TaskFlowAppFixture>
{
    public const string Name = "distributed app";
}
