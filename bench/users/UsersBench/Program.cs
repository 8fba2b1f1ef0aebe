using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskFlow.Users.Infrastructure.Passwords;

// Measures the Users service: the password hashing cost in isolation, then register and login throughput over
// HTTP with a fixed number of concurrent clients. Every phase is bounded in time and in request count.
// Usage: UsersBench [--url http://127.0.0.1:PORT] [--seconds 20] [--concurrency 4] [--max-requests 5000]
var options = BenchOptions.Parse(args);

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
await MeasureHashingAsync();

DistributedApplication? app = null;
var dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-bench-users-" + Guid.NewGuid().ToString("N")[..8]);
try
{
    HttpClient client;
    if (options.Url is { } url)
    {
        client = new HttpClient { BaseAddress = new Uri(url) };
        Console.WriteLine($"target: {url}");
    }
    else
    {
        Console.WriteLine("starting the AppHost in local mode (PostgreSQL, Redis, RabbitMQ as processes) ...");
        Directory.CreateDirectory(dataRoot);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
        [
            "--TaskFlow:Infrastructure=local",
            $"--TaskFlow:DataRoot={dataRoot}",
            "--TaskFlow:GatewayPort=0",
        ]);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
            // Health probes fail until each server is up; that is expected during start and not worth printing.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        app = await builder.BuildAsync();
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await app.StartAsync(startTimeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("users", startTimeout.Token);
        var endpoint = app.GetEndpoint("users", "http");
        client = new HttpClient { BaseAddress = endpoint };
        Console.WriteLine($"target: users service at {endpoint} (direct, not through the gateway)");
    }

    client.Timeout = TimeSpan.FromSeconds(60);
    const string password = "bench-password-123";

    // Warm-up: JIT, connection pools, the first PBKDF2 and the first database round trips.
    for (var i = 0; i < 3; i++)
    {
        await RegisterAsync(client, password);
    }

    var register = await RunPhaseAsync("register", options, _ => RegisterAsync(client, password));

    var accounts = new List<string>();
    for (var i = 0; i < options.Concurrency; i++)
    {
        accounts.Add(await RegisterAsync(client, password) ?? throw new InvalidOperationException("could not register a login account"));
    }

    var login = await RunPhaseAsync("login", options, worker => LoginAsync(client, accounts[worker % accounts.Count], password));
    var failedLogin = await RunPhaseAsync("login (wrong password)", options, worker => LoginAsync(client, accounts[worker % accounts.Count], "wrong-password-123", expectFailure: true));
    var unknownLogin = await RunPhaseAsync("login (unknown email)", options, _ => LoginAsync(client, $"ghost-{Guid.NewGuid():N}@bench.test", password, expectFailure: true));

    Console.WriteLine();
    Console.WriteLine("| phase | requests | errors | throughput (req/s) | p50 (ms) | p95 (ms) |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var phase in new[] { register, login, failedLogin, unknownLogin })
    {
        Console.WriteLine($"| {phase.Name} | {phase.Count} | {phase.Errors} | {phase.Throughput:F1} | {phase.P50:F0} | {phase.P95:F0} |");
    }

    Console.WriteLine($"load average after: {LoadAverage()}");
}
finally
{
    if (app is not null)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    try
    {
        Directory.Delete(dataRoot, recursive: true);
    }
    catch (DirectoryNotFoundException)
    {
    }
    catch (IOException)
    {
    }
    catch (UnauthorizedAccessException)
    {
    }
}

static async Task MeasureHashingAsync()
{
    var settings = new PasswordHashingOptions();
    using var hashing = new PasswordHashing(Options.Create(settings));
    var hash = await hashing.HashAsync("warm-up-password", CancellationToken.None);
    const int samples = 20;

    // CPU time says what one hash costs even on a busy machine; wall time says what a caller waits here and now.
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < samples; i++)
    {
        await hashing.VerifyAsync(hash, "some-password-" + i, CancellationToken.None);
    }

    var wall = watch.Elapsed.TotalMilliseconds / samples;
    process.Refresh();
    var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / samples;
    watch.Restart();
    await Task.WhenAll(Enumerable.Range(0, samples * 2).Select(i => hashing.VerifyAsync(hash, "p-" + i, CancellationToken.None)));
    var parallelRate = samples * 2 / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"hashing: PBKDF2-HMAC-SHA512, {settings.Iterations:N0} iterations: {cpu:F1} ms CPU per hash " +
        $"({wall:F1} ms wall, one at a time); {parallelRate:F1} hashes/s wall with {settings.MaxConcurrency} in parallel (the service's gate); " +
        $"ceiling on {Environment.ProcessorCount} idle cores ~ {Environment.ProcessorCount * 1000 / cpu:F0} hashes/s");
}

static async Task<string?> RegisterAsync(HttpClient client, string password)
{
    var email = $"bench-{Guid.NewGuid():N}@bench.test";
    using var response = await client.PostAsJsonAsync("/users/register", new { email, password, displayName = "Bench" });
    return response.StatusCode == HttpStatusCode.Created ? email : null;
}

static async Task<string?> LoginAsync(HttpClient client, string email, string password, bool expectFailure = false)
{
    using var response = await client.PostAsJsonAsync("/users/login", new { email, password });
    var expected = expectFailure ? HttpStatusCode.Unauthorized : HttpStatusCode.OK;
    return response.StatusCode == expected ? email : null;
}

static async Task<PhaseResult> RunPhaseAsync(string name, BenchOptions options, Func<int, Task<string?>> request)
{
    var latencies = new List<double>();
    var errors = 0;
    var issued = 0;
    var deadline = Stopwatch.StartNew();
    var gate = new object();
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
    {
        while (deadline.Elapsed < options.Duration && Interlocked.Increment(ref issued) <= options.MaxRequests)
        {
            var watch = Stopwatch.StartNew();
            var ok = await request(worker) is not null;
            watch.Stop();
            lock (gate)
            {
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (!ok)
                {
                    errors++;
                }
            }
        }
    }));
    var elapsed = deadline.Elapsed.TotalSeconds;
    latencies.Sort();
    var result = new PhaseResult(name, latencies.Count, errors, (latencies.Count - errors) / elapsed,
        Percentile(latencies, 0.50), Percentile(latencies, 0.95));
    Console.WriteLine($"{name}: {result.Count} requests in {elapsed:F1} s with {options.Concurrency} clients, {result.Throughput:F1} ok/s, {errors} errors");
    return result;
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

internal sealed record PhaseResult(string Name, int Count, int Errors, double Throughput, double P50, double P95);

internal sealed record BenchOptions(string? Url, TimeSpan Duration, int Concurrency, int MaxRequests)
{
    public static BenchOptions Parse(string[] args)
    {
        string? url = null;
        var seconds = 20;
        var concurrency = 4;
        var maxRequests = 5000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = args[i + 1]; break;
                case "--seconds": seconds = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--max-requests": maxRequests = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }

        return new BenchOptions(url, TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 300)), Math.Clamp(concurrency, 1, 64), Math.Clamp(maxRequests, 1, 100_000));
    }
}
