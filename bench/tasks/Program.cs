// Tasks benchmark: starts the whole AppHost in local mode (like the distributed tests), seeds 10,000 tasks for one
// user straight into MongoDB (so no cache holds them), then measures through the Tasks service's own endpoint:
//   GET /tasks/{id} with the cache cold (every id read once, never cached before) and warm (read again),
//   GET /tasks list latency with 10,000 visible tasks (first page of each sort, filters, a deep cursor page).
// Usage: dotnet run -c Release -- [--tasks 10000] [--concurrency 16] [--list-samples 100]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using TaskFlow.Tasks.Infrastructure;
using TaskFlow.Tasks.Model;

var taskCount = Option("--tasks", 10_000);
var concurrency = Option("--concurrency", 16);
var listSamples = Option("--list-samples", 100);

var dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dataRoot);
Console.WriteLine($"Starting TaskFlow (local mode, data in {dataRoot}) ...");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
    ["--TaskFlow:Infrastructure=local", $"--TaskFlow:DataRoot={dataRoot}", "--TaskFlow:GatewayPort=0"]);
// Category filters win over the AppHost's "Default: Information" configuration; console logging per request would
// otherwise dominate the client side of the measurement.
builder.Services.AddLogging(l => l
    .SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
    .AddFilter("System.Net.Http", LogLevel.Warning)
    .AddFilter("Polly", LogLevel.Warning)
    .AddFilter("Microsoft.Extensions.Http", LogLevel.Warning)
    .AddFilter("TaskFlow.AppHost.Resources", LogLevel.Error)
    .AddFilter("Aspire", LogLevel.Warning));
builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(o =>
{
    o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
    o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
    o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(60);
    o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(120);
    o.CircuitBreaker.MinimumThroughput = int.MaxValue;
}));
await using var app = await builder.BuildAsync();
using (var startup = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
{
    await app.StartAsync(startup.Token);
    foreach (var name in new[] { "mongo", "redis", "users", "tasks" })
    {
        await app.ResourceNotifications.WaitForResourceHealthyAsync(name, startup.Token);
    }
}

using var users = app.CreateHttpClient("users", "http");
using var tasks = app.CreateHttpClient("tasks", "http");
var email = $"bench-{Guid.NewGuid():N}@example.test";
(await users.PostAsJsonAsync("/users/register", new { email, password = "bench-password-1", displayName = "Bench" })).EnsureSuccessStatusCode();
var login = await (await users.PostAsJsonAsync("/users/login", new { email, password = "bench-password-1" })).Content.ReadFromJsonAsync<JsonElement>();
var token = login.GetProperty("accessToken").GetString() ?? throw new InvalidOperationException("no token");
tasks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var me = await (await tasks.PostAsJsonAsync("/tasks", new { title = "probe" })).Content.ReadFromJsonAsync<JsonElement>();
var ownerId = me.GetProperty("ownerId").GetString() ?? throw new InvalidOperationException("no owner");

Console.WriteLine($"Seeding {taskCount} tasks directly into MongoDB ...");
var connectionString = await app.GetConnectionStringAsync("tasksdb") ?? throw new InvalidOperationException("no tasksdb");
var database = new MongoClient(connectionString).GetDatabase(MongoUrl.Create(connectionString).DatabaseName ?? "tasksdb");
var repository = new TaskRepository(database);
var statuses = Enum.GetValues<TaskItemStatus>();
var priorities = Enum.GetValues<TaskPriority>();
var start = DateTime.UtcNow.AddDays(-30);
var ids = new List<string>(taskCount);
var seed = Stopwatch.StartNew();
foreach (var chunk in Enumerable.Range(0, taskCount).Chunk(500))
{
    var documents = chunk.Select(i =>
    {
        var created = Timestamps.Truncate(start.AddSeconds(i * 13));
        var task = new TaskItem
        {
            Id = Guid.CreateVersion7(created).ToString(),
            OwnerId = ownerId,
            Title = $"Task {i} {(i % 10 == 0 ? "invoice" : "report")}",
            Description = $"Benchmark task number {i}. " + new string('x', 200),
            Status = statuses[i % statuses.Length],
            Priority = priorities[i % priorities.Length],
            DueDate = i % 3 == 0 ? null : Timestamps.Truncate(start.AddDays(i % 90)),
            Tags = [$"t{i % 25}", "bench"],
            CreatedAt = created,
            UpdatedAt = created,
            Version = 1,
        };
        ids.Add(task.Id);
        return TaskDocument.From(task, []);
    }).ToList();
    await repository.Collection.InsertManyAsync(documents);
}

Console.WriteLine($"  seeded in {seed.Elapsed.TotalSeconds:0.0} s");

// Warm up the HTTP pipeline and JIT of both replicas on a few ids that are not measured.
await RunAsync("warm-up", ids.Take(200).ToList(), id => $"/tasks/{id}");
var measured = ids.Skip(200).ToList();
var cold = await RunAsync("GET /tasks/{id} cold (never cached)", measured, id => $"/tasks/{id}");
var warm = await RunAsync("GET /tasks/{id} warm (second read)", measured, id => $"/tasks/{id}");
var warm2 = await RunAsync("GET /tasks/{id} warm (third read)", measured, id => $"/tasks/{id}");

Console.WriteLine();
Console.WriteLine($"List latency with {taskCount + 1} visible tasks ({listSamples} sequential requests each, limit=20):");
string[] listQueries =
[
    "?sort=-createdAt", "?sort=createdAt", "?sort=dueDate", "?sort=-priority",
    "?status=in_progress", "?tag=t7", "?priority=urgent&sort=dueDate", "?q=invoice",
    "?dueBefore=2100-01-01&dueAfter=2000-01-01",
];
foreach (var query in listQueries)
{
    await ListLatencyAsync(query, null);
}

// Deep page: follow the cursor 50 pages in, then time the 51st page.
string? cursor = null;
for (var i = 0; i < 50; i++)
{
    var page = await tasks.GetFromJsonAsync<JsonElement>($"/tasks?limit=20{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
    cursor = page.GetProperty("nextCursor").GetString();
}

await ListLatencyAsync("?limit=20 (page 51 via cursor)", cursor);

Console.WriteLine();
Console.WriteLine("SUMMARY");
Console.WriteLine($"  GET by id cold : {cold.Throughput,8:0} req/s  p50 {cold.P50,6:0.00} ms  p99 {cold.P99,6:0.00} ms");
Console.WriteLine($"  GET by id warm : {warm.Throughput,8:0} req/s  p50 {warm.P50,6:0.00} ms  p99 {warm.P99,6:0.00} ms");
Console.WriteLine($"  GET by id warm2: {warm2.Throughput,8:0} req/s  p50 {warm2.P50,6:0.00} ms  p99 {warm2.P99,6:0.00} ms");
await app.StopAsync();
try
{
    Directory.Delete(dataRoot, recursive: true);
}
catch (IOException)
{
}

return 0;

async Task<(double Throughput, double P50, double P99)> RunAsync(string name, IReadOnlyList<string> keys, Func<string, string> path)
{
    var latencies = new double[keys.Count];
    var next = -1;
    var failures = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < keys.Count)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await tasks.GetAsync(path(keys[i]));
            await response.Content.LoadIntoBufferAsync();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }));
    var elapsed = clock.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    var result = (keys.Count / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    Console.WriteLine($"{name,-40} {keys.Count,6} req, c={concurrency}: {result.Item1,8:0} req/s  p50 {result.Item2:0.00} ms  p99 {result.Item3:0.00} ms  failures {failures}");
    if (failures > 0)
    {
        throw new InvalidOperationException($"{failures} requests failed in {name}");
    }

    return result;
}

async Task ListLatencyAsync(string query, string? pageCursor)
{
    var path = pageCursor is null ? $"/tasks{query}&limit=20" : $"/tasks?limit=20&cursor={Uri.EscapeDataString(pageCursor)}";
    var latencies = new double[listSamples];
    var items = 0;
    for (var i = 0; i < listSamples; i++)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await tasks.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        items = page.GetProperty("items").GetArrayLength();
    }

    Array.Sort(latencies);
    Console.WriteLine($"  {query,-45} items {items,3}  p50 {Percentile(latencies, 0.5),7:0.00} ms  p99 {Percentile(latencies, 0.99),7:0.00} ms");
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}
