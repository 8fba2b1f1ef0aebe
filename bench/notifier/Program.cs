// Notifier end-to-end latency benchmark: starts the whole AppHost in local mode (like the distributed tests), then
// creates tasks assigned to another user through the Tasks service at a steady rate (open loop: one every 1/rate s,
// whatever the responses do) and measures, per task, the time from "task saved" (the task's createdAt, set by Tasks
// when it writes the document and its pending event) to "notification stored" (the notification's created_at in
// the Notifier's PostgreSQL). Both clocks are this machine's. The path measured: Tasks' MongoDB outbox → relay →
// RabbitMQ (publisher confirms) → Notifier consumer → PostgreSQL commit.
// Usage: dotnet run -c Release -- [--rate 20] [--seconds 30] [--warmup 20]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Npgsql;
using RabbitMQ.Client;

var rate = Option("--rate", 20);
var seconds = Option("--seconds", 30);
var warmup = Option("--warmup", 20);

var dataRoot = Path.Combine(Path.GetTempPath(), "taskflow-bench-notifier-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dataRoot);
Console.WriteLine($"Starting TaskFlow (local mode, data in {dataRoot}) ...");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskFlow_AppHost>(
    ["--TaskFlow:Infrastructure=local", $"--TaskFlow:DataRoot={dataRoot}", "--TaskFlow:GatewayPort=0"]);
builder.Services.AddLogging(l => l
    .SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Aspire", LogLevel.Warning)
    .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
    .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
    .AddFilter("Polly", LogLevel.None)
    .AddFilter("TaskFlow.AppHost.Resources", LogLevel.Error));
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
    foreach (var name in new[] { "postgres", "mongo", "rabbitmq", "redis", "users", "tasks", "notifier" })
    {
        await app.ResourceNotifications.WaitForResourceHealthyAsync(name, startup.Token);
    }
}

try
{
    using var users = app.CreateHttpClient("users", "http");
    using var tasks = app.CreateHttpClient("tasks", "http");
    var (ownerToken, _) = await SignUpAsync(users, "owner");
    var (_, assigneeId) = await SignUpAsync(users, "assignee");
    tasks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ownerToken);

    Console.WriteLine($"Warm-up: {warmup} tasks ...");
    var warm = await RunLoadAsync(tasks, assigneeId, warmup, rate);
    await WaitForNotificationsAsync(app, warm.Keys, TimeSpan.FromSeconds(60));

    var count = rate * seconds;
    Console.WriteLine($"Load: {count} tasks at {rate}/s for {seconds} s, each assigned to another user ...");
    await using var backlog = await BacklogSampler.StartAsync(app);
    var created = await RunLoadAsync(tasks, assigneeId, count, rate);
    var stored = await WaitForNotificationsAsync(app, created.Keys, TimeSpan.FromSeconds(120));
    var (maxPendingInMongo, maxQueued) = await backlog.StopAsync();

    var latencies = created
        .Where(c => stored.ContainsKey(c.Key))
        .Select(c => (stored[c.Key] - c.Value).TotalMilliseconds)
        .Order()
        .ToArray();
    Console.WriteLine();
    Console.WriteLine($"tasks created: {created.Count}, notifications stored: {stored.Count} (missing {created.Count - stored.Count})");
    Console.WriteLine($"end-to-end latency, task saved -> notification stored, at {rate} tasks/s:");
    Console.WriteLine($"  p50  {Percentile(latencies, 0.50),8:0.0} ms");
    Console.WriteLine($"  p90  {Percentile(latencies, 0.90),8:0.0} ms");
    Console.WriteLine($"  p99  {Percentile(latencies, 0.99),8:0.0} ms");
    Console.WriteLine($"  max  {latencies.LastOrDefault(),8:0.0} ms");
    Console.WriteLine($"backlog peaks (sampled every 250 ms): tasks with unpublished events in MongoDB {maxPendingInMongo}, " +
        $"messages waiting in the notifier queue {maxQueued}");
    Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
    return created.Count == stored.Count ? 0 : 1;
}
finally
{
    await app.StopAsync();
    try
    {
        Directory.Delete(dataRoot, recursive: true);
    }
    catch (IOException)
    {
    }
}

static async Task<(string Token, string UserId)> SignUpAsync(HttpClient users, string prefix)
{
    var email = $"bench-{prefix}-{Guid.NewGuid():N}@example.test";
    using var register = await users.PostAsJsonAsync("/users/register", new { email, password = "bench-password-1", displayName = "Bench " + prefix });
    register.EnsureSuccessStatusCode();
    var user = await register.Content.ReadFromJsonAsync<JsonElement>();
    using var login = await users.PostAsJsonAsync("/users/login", new { email, password = "bench-password-1" });
    login.EnsureSuccessStatusCode();
    var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
    return (tokens.GetProperty("accessToken").GetString()!, user.GetProperty("id").GetString()!);
}

// Open loop: request i starts at i/rate seconds, concurrently with whatever is still in flight.
static async Task<Dictionary<Guid, DateTimeOffset>> RunLoadAsync(HttpClient tasks, string assigneeId, int count, int rate)
{
    var clock = Stopwatch.StartNew();
    var inFlight = new List<Task<(Guid, DateTimeOffset)>>(count);
    for (var i = 0; i < count; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        var title = $"bench task {i}";
        inFlight.Add(Task.Run(async () =>
        {
            using var response = await tasks.PostAsJsonAsync("/tasks", new { title, assigneeId });
            response.EnsureSuccessStatusCode();
            var task = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (Guid.Parse(task.GetProperty("id").GetString()!), task.GetProperty("createdAt").GetDateTimeOffset());
        }));
    }

    var results = await Task.WhenAll(inFlight);
    if (clock.Elapsed > TimeSpan.FromSeconds((double)count / rate) + TimeSpan.FromSeconds(2))
    {
        Console.WriteLine($"  (the Tasks service could not keep the rate: {clock.Elapsed.TotalSeconds:0.0} s for {count} tasks)");
    }

    return results.ToDictionary(r => r.Item1, r => r.Item2);
}

static async Task<Dictionary<Guid, DateTimeOffset>> WaitForNotificationsAsync(DistributedApplication app, ICollection<Guid> taskIds, TimeSpan timeout)
{
    var connectionString = await app.GetConnectionStringAsync("notificationsdb") ?? throw new InvalidOperationException("no notificationsdb");
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    var ids = taskIds.ToArray();
    var clock = Stopwatch.StartNew();
    var found = new Dictionary<Guid, DateTimeOffset>();
    while (clock.Elapsed < timeout)
    {
        await using var command = new NpgsqlCommand("SELECT task_id, min(created_at) FROM notifications WHERE task_id = ANY(@ids) GROUP BY task_id", connection);
        command.Parameters.AddWithValue("ids", ids);
        found.Clear();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        if (found.Count == ids.Length)
        {
            break;
        }

        await Task.Delay(250);
    }

    return found;
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static int Option(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}

/// <summary>Where a backlog builds up: unpublished events in Tasks' MongoDB outbox, or messages in the Notifier's queue.</summary>
sealed class BacklogSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IMongoCollection<BsonDocument> _tasks;
    private readonly IConnection _connection;
    private Task? _loop;
    private long _maxPending;
    private uint _maxQueued;

    private BacklogSampler(IMongoCollection<BsonDocument> tasks, IConnection connection)
    {
        _tasks = tasks;
        _connection = connection;
    }

    public static async Task<BacklogSampler> StartAsync(DistributedApplication app)
    {
        var mongo = MongoUrl.Create(await app.GetConnectionStringAsync("tasksdb"));
        var tasks = new MongoClient(mongo).GetDatabase(mongo.DatabaseName ?? "tasksdb").GetCollection<BsonDocument>("tasks");
        var connection = await new ConnectionFactory { Uri = new Uri((await app.GetConnectionStringAsync("rabbitmq"))!) }.CreateConnectionAsync();
        var sampler = new BacklogSampler(tasks, connection);
        sampler._loop = sampler.RunAsync();
        return sampler;
    }

    private async Task RunAsync()
    {
        await using var channel = await _connection.CreateChannelAsync();
        var pendingFilter = Builders<BsonDocument>.Filter.Gte("pendingEvents.createdAt", DateTime.MinValue);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _maxPending = Math.Max(_maxPending, await _tasks.CountDocumentsAsync(pendingFilter));
                _maxQueued = Math.Max(_maxQueued, (await channel.QueueDeclarePassiveAsync("notifier")).MessageCount);
                await Task.Delay(250, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async Task<(long MaxPending, uint MaxQueued)> StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        return (_maxPending, _maxQueued);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
