using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Tests.Infrastructure;

/// <summary>
/// Starts the whole AppHost once per test collection in local mode (local PostgreSQL, Redis, RabbitMQ and the
/// MongoDB stand-in as processes), on free ports with a throw-away data directory, and waits until every
/// resource is healthy. Tests stay independent through fresh users and data.
/// </summary>
public sealed class TaskFlowAppFixture : IAsyncLifetime
{
    public static readonly string[] ServiceNames = ["users", "tasks", "notifier", "gateway", "web"];
    public static readonly string[] BackingNames = ["postgres", "redis", "rabbitmq", "mongo"];

    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    public TimeSpan StartupTime { get; private set; }

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

        StartupTime = started.Elapsed;
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

    public Task ExecuteCommandAsync(string resource, string command, CancellationToken ct = default) =>
        App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, ct);

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
