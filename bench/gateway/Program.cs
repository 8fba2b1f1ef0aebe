// Gateway overhead benchmark: starts the whole AppHost in local mode (one gateway replica), creates one task, then
// measures GET /tasks/{id} through the gateway and directly against the Tasks service, in alternating rounds of
// the same size and concurrency, in one run. The per-user rate limit is raised for the run so that it measures the
// proxy, not the limiter's 429s (the limiter's Redis round trip is still on every gateway request).
// Usage: dotnet run -c Release -- [--requests 4000] [--concurrency 16] [--rounds 3]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var requests = Option("--requests", 4000);
var concurrency = Option("--concurrency", 16);
var rounds = Option("--rounds", 3);

var dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-bench-gw-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dataRoot);
Console.WriteLine($"Starting TaskFlow (local mode, data in {dataRoot}) ...");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
    ["--TaskFlow:Infrastructure=local", $"--TaskFlow:DataRoot={dataRoot}", "--TaskFlow:GatewayPort=0", "--TaskFlow:GatewayReplicas=1"]);
builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Aspire", LogLevel.Warning).AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
    .AddFilter("Polly", LogLevel.None).AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
    .AddFilter("TaskFlow.AppHost.Resources", LogLevel.Error));
#pragma warning disable EXTEXP0001 // measure raw requests: no retries or circuit breaker in the client
builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllResilienceHandlers());
#pragma warning restore EXTEXP0001
var gatewayResource = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
builder.CreateResourceBuilder(gatewayResource)
    .WithEnvironment("RateLimits__AuthenticatedTokenLimit", "100000000")
    .WithEnvironment("RateLimits__AuthenticatedTokensPerPeriod", "100000000");

await using var app = await builder.BuildAsync();
using (var startup = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
{
    await app.StartAsync(startup.Token);
    foreach (var name in new[] { "users", "tasks", "gateway" })
    {
        await app.ResourceNotifications.WaitForResourceHealthyAsync(name, startup.Token);
    }
}

using var gateway = app.CreateHttpClient("gateway", "http");
using var direct = app.CreateHttpClient("tasks", "http");
var email = $"bench-{Guid.NewGuid():N}@example.test";
(await gateway.PostAsJsonAsync("/users/register", new { email, password = "bench-password-1", displayName = "Bench" })).EnsureSuccessStatusCode();
var login = await (await gateway.PostAsJsonAsync("/users/login", new { email, password = "bench-password-1" })).Content.ReadFromJsonAsync<JsonElement>();
var token = login.GetProperty("accessToken").GetString() ?? throw new InvalidOperationException("no token");
foreach (var client in new[] { gateway, direct })
{
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
}

var created = await (await gateway.PostAsJsonAsync("/tasks", new { title = "gateway benchmark" })).Content.ReadFromJsonAsync<JsonElement>();
var path = $"/tasks/{created.GetProperty("id").GetString()}";

await RunAsync("warm-up direct", direct, 500);
await RunAsync("warm-up gateway", gateway, 500);
var directResults = new List<Result>();
var gatewayResults = new List<Result>();
for (var round = 1; round <= rounds; round++)
{
    directResults.Add(await RunAsync($"round {round} direct ", direct, requests));
    gatewayResults.Add(await RunAsync($"round {round} gateway", gateway, requests));
}

var d = Median(directResults);
var g = Median(gatewayResults);
Console.WriteLine();
Console.WriteLine($"SUMMARY (GET {path.Split('/')[1]}/{{id}}, {requests} requests x {rounds} rounds, concurrency {concurrency}, medians of rounds)");
Console.WriteLine($"  direct to Tasks : {d.Throughput,8:0} req/s  p50 {d.P50,6:0.00} ms  p99 {d.P99,6:0.00} ms");
Console.WriteLine($"  through gateway : {g.Throughput,8:0} req/s  p50 {g.P50,6:0.00} ms  p99 {g.P99,6:0.00} ms");
Console.WriteLine($"  gateway overhead: p50 +{g.P50 - d.P50:0.00} ms, p99 +{g.P99 - d.P99:0.00} ms, throughput {100 * (g.Throughput / d.Throughput - 1):+0;-0} %");
await app.StopAsync();
try
{
    Directory.Delete(dataRoot, recursive: true);
}
catch (IOException)
{
}

return 0;

async Task<Result> RunAsync(string name, HttpClient client, int count)
{
    var latencies = new double[count];
    var next = -1;
    var failures = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }));
    var elapsed = clock.Elapsed;
    Array.Sort(latencies);
    var result = new Result(count / elapsed.TotalSeconds, latencies[count / 2], latencies[(int)(count * 0.99)]);
    Console.WriteLine($"  {name}: {result.Throughput,8:0} req/s  p50 {result.P50,6:0.00} ms  p99 {result.P99,6:0.00} ms  failures {failures}");
    if (failures > 0)
    {
        throw new InvalidOperationException($"{failures} requests failed in '{name}': the numbers would not be comparable.");
    }

    return result;
}

static Result Median(List<Result> results) => new(
    results.Select(r => r.Throughput).Order().ElementAt(results.Count / 2),
    results.Select(r => r.P50).Order().ElementAt(results.Count / 2),
    results.Select(r => r.P99).Order().ElementAt(results.Count / 2));

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}

internal sealed record Result(double Throughput, double P50, double P99);
