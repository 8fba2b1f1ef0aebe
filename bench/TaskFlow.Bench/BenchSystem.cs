using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Bench;

/// <summary>
/// The one start-up harness: the whole AppHost in local mode (like the distributed tests) on free ports with a
/// throw-away data folder, the gateway's rate limits raised through configuration (environment), and every service
/// exporting traces to <see cref="OtlpTraceReceiver"/>. Stopped and cleaned up on dispose.
/// </summary>
internal sealed class BenchSystem : IAsyncDisposable
{
    public const string Password = "bench-password-1";

    private readonly string _dataRoot;

    private BenchSystem(DistributedApplication app, OtlpTraceReceiver telemetry, string dataRoot)
    {
        App = app;
        Telemetry = telemetry;
        _dataRoot = dataRoot;
    }

    public DistributedApplication App { get; }

    public OtlpTraceReceiver Telemetry { get; }

    /// <summary>When each resource first reported healthy, counted from the AppHost's start (the model already built).</summary>
    public IReadOnlyDictionary<string, TimeSpan> HealthyAfter { get; private init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Every resource state change during start-up, timed like <see cref="HealthyAfter"/>.</summary>
    public IEnumerable<string> StartupTimeline { get; private init; } = [];

    /// <param name="serviceEnvironment">Extra environment of every service (the bench's <c>--env KEY=VALUE</c>), e.g. <c>Telemetry__TraceSampleRatio=0.01</c>.</param>
    public static async Task<BenchSystem> StartAsync(IReadOnlyList<KeyValuePair<string, string>>? serviceEnvironment = null)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataRoot);
        var telemetry = await OtlpTraceReceiver.StartAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
            ["--TaskFlow:Infrastructure=local", $"--TaskFlow:DataRoot={dataRoot}", "--TaskFlow:GatewayPort=0"]);
        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Aspire", LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error).AddFilter("Polly", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None).AddFilter("TaskFlow.AppHost.Resources", LogLevel.Error));
#pragma warning disable EXTEXP0001 // measure raw requests: no retries or circuit breaker in the harness's own clients
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllResilienceHandlers());
#pragma warning restore EXTEXP0001
        telemetry.ReceiveFrom(builder);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            foreach (var (name, value) in serviceEnvironment ?? [])
            {
                builder.CreateResourceBuilder(project).WithEnvironment(name, value);
            }

            if (project.Name == "gateway")
            {
                // Configuration, not code: the benchmark measures the system, not the limiter's 429s.
                builder.CreateResourceBuilder(project)
                    .WithEnvironment("RateLimits__LoginPermitLimit", "100000000")
                    .WithEnvironment("RateLimits__AnonymousPermitLimit", "100000000")
                    .WithEnvironment("RateLimits__AuthenticatedTokenLimit", "100000000")
                    .WithEnvironment("RateLimits__AuthenticatedTokensPerPeriod", "100000000");
            }
        }

        var app = await builder.BuildAsync();
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timeline = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var healthyAt = new System.Collections.Concurrent.ConcurrentDictionary<string, (string Name, TimeSpan At)>();
        _ = Task.Run(async () =>
        {
            var last = new Dictionary<string, string>();
            await foreach (var e in app.ResourceNotifications.WatchAsync(startup.Token))
            {
                var state = $"{e.Snapshot.State?.Text}/{e.Snapshot.HealthStatus}";
                if (!last.TryGetValue(e.ResourceId, out var previous) || previous != state)
                {
                    last[e.ResourceId] = state;
                    timeline.Enqueue($"{clock.Elapsed.TotalSeconds,6:0.0} s  {e.Resource.Name,-16} {state}");
                    if (e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy && e.Snapshot.State?.Text == KnownResourceStates.Running)
                    {
                        healthyAt.TryAdd(e.ResourceId, (e.Resource.Name, clock.Elapsed));
                    }
                }
            }
        });
        await app.StartAsync(startup.Token);
        string[] resources = ["postgres", "mongo", "redis", "rabbitmq", "users", "tasks", "notifier", "webhooks", "graph", "web", "gateway"];
        foreach (var name in resources)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, startup.Token);
        }

        await WaitForGatewayRoutesAsync(app, startup.Token);

        // A replicated service is healthy with its last replica.
        var byResource = resources.ToDictionary(name => name, name => healthyAt.Values
            .Where(h => h.Name == name).Select(h => h.At).DefaultIfEmpty(clock.Elapsed).Max());
        return new BenchSystem(app, telemetry, dataRoot) { HealthyAfter = byResource, StartupTimeline = timeline };
    }

    /// <summary>
    /// The gateway starts before the services it routes to: wait until its active probes see every destination healthy
    /// (management port, <c>/health/services</c>), so the first measured request is not a 503.
    /// </summary>
    private static async Task WaitForGatewayRoutesAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        using var management = app.CreateHttpClient("gateway", "management");
        while (true)
        {
            using var services = JsonDocument.Parse(await management.GetStringAsync("/health/services", cancellationToken));
            if (services.RootElement.EnumerateArray().All(s => s.GetProperty("destinations").EnumerateArray()
                    .All(d => d.GetProperty("active").GetString() == "Healthy")))
            {
                return;
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    public Uri Endpoint(string resource) => App.GetEndpoint(resource, "http");

    public HttpClient Client(string resource) => App.CreateHttpClient(resource, "http");

    /// <summary>Registers and logs in a fresh user through the gateway.</summary>
    public async Task<BenchUser> SignUpAsync(string prefix)
    {
        using var gateway = Client("gateway");
        var email = $"bench-{prefix}-{Guid.NewGuid():N}@example.test";
        using var register = await gateway.PostAsJsonAsync("/users/register", new { email, password = Password, displayName = "Bench " + prefix });
        register.EnsureSuccessStatusCode();
        var user = await register.Content.ReadFromJsonAsync<JsonElement>();
        using var login = await gateway.PostAsJsonAsync("/users/login", new { email, password = Password });
        login.EnsureSuccessStatusCode();
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        return new BenchUser(user.GetProperty("id").GetString()!, email, tokens.GetProperty("accessToken").GetString()!);
    }

    public HttpClient AuthorizedClient(string resource, BenchUser user)
    {
        var client = Client(resource);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Telemetry.DisposeAsync();
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal sealed record BenchUser(string Id, string Email, string Token);
