// The TaskFlow benchmark: one run, one table. Builds nothing itself (bench/run.sh builds Release first), starts the
// system once in local mode (BenchSystem), and measures every row side by side in that run with wrk and the harness's
// own clients. Usage: bench/run.sh [--seconds 10] [--post-seconds 60] [--connections 16] [--idle-seconds 60] [--profile]
// [--post-only] [--get-only] [--events-only] [--startup-only] [--notifier-stage] [--webhooks-stage] [--schema-stage] [--env KEY=VALUE ...]. The targets of issue 27 are checked at the end.
using System.Globalization;
using Aspire.Hosting.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using TaskFlow.Bench;

if (args is ["hello", var helloPort])
{
    await HelloServer.RunAsync(int.Parse(helloPort, CultureInfo.InvariantCulture));
    return 0;
}

if (args.Contains("--schema-stage"))
{
    SchemaValidationStage.Run();
    return 0;
}

var seconds = TimeSpan.FromSeconds(Option("--seconds", 10));
var postSeconds = TimeSpan.FromSeconds(Option("--post-seconds", 60)); // issue 27: CPU per created task over a 60 s run
var connections = Option("--connections", 16);
var idleSeconds = Option("--idle-seconds", 60);
var repositoryRoot = TextOption("--root", Directory.GetCurrentDirectory());
var table = new ResultTable();

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("Starting TaskFlow (local mode) ...");
var started = System.Diagnostics.Stopwatch.StartNew();
// --env KEY=VALUE (repeatable): extra environment of every service, for side-by-side runs of one setting.
var serviceEnvironment = args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length)
    .Select(p => args[p.i + 1].Split('=', 2)).Select(kv => KeyValuePair.Create(kv[0], kv.ElementAtOrDefault(1) ?? "")).ToList();
await using var system = await BenchSystem.StartAsync(serviceEnvironment);
foreach (var (name, value) in serviceEnvironment)
{
    Console.WriteLine($"Every service runs with {name}={value}.");
}

Console.WriteLine($"Healthy after {started.Elapsed.TotalSeconds:0} s.");
table.AddText("cold start (build done): gateway healthy", $"{system.HealthyAfter["gateway"].TotalSeconds:0.0} s",
    $"{system.HealthyAfter["gateway"].TotalSeconds / 20:0.00}× the 20 s target",
    "everything healthy after " + $"{system.HealthyAfter.Values.Max().TotalSeconds:0.0} s: " +
    string.Join(", ", system.HealthyAfter.OrderBy(h => h.Value).Select(h => $"{h.Key} {h.Value.TotalSeconds:0.0}")));
if (args.Contains("--startup-only"))
{
    Console.WriteLine(string.Join(Environment.NewLine, system.StartupTimeline));
    table.Print();
    return 0;
}

// Processes of this run: command lines under the repository or the run's data folder (or, for RabbitMQ, an environment
// naming it); redis-server rewrites its command line and environment to its title, "redis-server <host:port>".
var redisAddress = (await system.App.GetConnectionStringAsync("redis") ?? "").Split(',')[0];
string[] markers = [repositoryRoot.TrimEnd('/') + "/", Path.GetTempPath() + "taskflow-bench-", "redis-server " + redisAddress];

if (args.Contains("--notifier-stage"))
{
    // The Notifier alone: events straight to the exchange, pushed on one assignee's stream through the gateway.
    var listener = await system.SignUpAsync("listener");
    await NotifierStage.RunAsync(system, listener, markers, 200, TimeSpan.FromSeconds(5)); // JIT and pools warm
    var idleBefore = ProcessCpu.Snapshot(markers)["TaskFlow.Notifier"];
    await Task.Delay(TimeSpan.FromSeconds(10));
    var idleMsPerSecond = (ProcessCpu.Snapshot(markers)["TaskFlow.Notifier"] - idleBefore) * 100;
    table.AddText("Notifier idle CPU (both replicas)", $"{idleMsPerSecond:0.0} ms/s", "", "the stage rows below include it");
    foreach (var rate in new[] { 20, 50, 200, 500 })
    {
        var stage = await NotifierStage.RunAsync(system, listener, markers, rate, seconds);
        table.AddText($"Notifier stage at {rate} events/s (publish → SSE push)", $"p50 {stage.P50Ms:0} ms, p99 {stage.P99Ms:0} ms",
            $"{stage.CpuMsPerEvent:0.00} ms Notifier CPU per event",
            $"{stage.Published} published, {stage.Received} pushed, {stage.Published - stage.Received} lost, {stage.Duplicates} twice; max {stage.MaxMs:0} ms");
    }

    if (args.Contains("--profile"))
    {
        await Profiler.ProfileAsync(markers, TimeSpan.FromSeconds(20),
            () => NotifierStage.RunAsync(system, listener, markers, 200, TimeSpan.FromSeconds(17)), ["TaskFlow.Notifier"], "Notifier stage");
    }

    table.Print();
    return 0;
}

if (args.Contains("--webhooks-stage"))
{
    // Webhook delivery alone: events straight to the exchange, one subscription, a receiver in this process.
    var subscriber = await system.SignUpAsync("subscriber");
    await WebhooksStage.RunAsync(system, subscriber, markers, 50, TimeSpan.FromSeconds(5)); // JIT and pools warm
    foreach (var rate in new[] { 20, 50, 100 })
    {
        var stage = await WebhooksStage.RunAsync(system, subscriber, markers, rate, TimeSpan.FromSeconds(Math.Max(20, seconds.TotalSeconds)));
        table.AddText($"Webhooks stage at {rate} events/s (publish → signed POST at one receiver)", $"p50 {stage.P50Ms:0} ms, p99 {stage.P99Ms:0} ms",
            $"{stage.CpuMsPerEvent:0.00} ms Webhooks CPU per event",
            $"{stage.Published} published, {stage.Received} received, {stage.Published - stage.Received} lost, {stage.Duplicates} twice; max {stage.MaxMs:0} ms");
    }

    var idle = await WebhooksStage.RunWithoutSubscriptionAsync(system, markers, 200, TimeSpan.FromSeconds(Math.Max(20, seconds.TotalSeconds)));
    table.AddText("Webhooks stage at 200 events/s for a user with no webhook", "-", $"{idle:0.00} ms Webhooks CPU per event", "nothing to deliver");

    if (args.Contains("--profile"))
    {
        await Profiler.ProfileAsync(markers, TimeSpan.FromSeconds(20),
            () => WebhooksStage.RunAsync(system, subscriber, markers, 50, TimeSpan.FromSeconds(17)), ["TaskFlow.Webhooks"], "Webhooks stage");
    }

    table.Print();
    return 0;
}

var owner = await system.SignUpAsync("owner");
var assignee = await system.SignUpAsync("assignee");
string taskPath;
using (var gateway = system.AuthorizedClient("gateway", owner))
{
    using var created = await gateway.PostAsJsonAsync("/tasks", new { title = "benchmark task", description = "read by every GET row" });
    created.EnsureSuccessStatusCode();
    taskPath = "/tasks/" + (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
}

// POST /tasks through the gateway (each task assigned to another user, so Notifier works too), with CPU from /proc.
var postScript = $$"""
    wrk.method = "POST"
    wrk.body = '{"title":"bench post","assigneeId":"{{assignee.Id}}"}'
    wrk.headers["Content-Type"] = "application/json"
    """;

if (args.Contains("--events-only"))
{
    // The write path warm, as after the POST rows of a full run.
    await PostLoadAsync(connections, TimeSpan.FromSeconds(10));
    await DrainAsync(TimeSpan.FromSeconds(60));
    await EventLatencyRowsAsync();
    table.Print();
    table.PrintTargets();
    return 0;
}

// GET rows: the same warm task, the same connections and duration, one after another.
if (!args.Contains("--post-only"))
await using (var hello = await HelloServer.StartAsync())
await using (var nginx = await Nginx.StartAsync(system.Endpoint("tasks")))
{
    var tasksUrl = new Uri(system.Endpoint("tasks"), taskPath);
    var nginxUrl = new Uri(nginx.Endpoint, taskPath);
    var gatewayUrl = new Uri(system.Endpoint("gateway"), taskPath);
    foreach (var warm in new[] { tasksUrl, nginxUrl, gatewayUrl })
    {
        await Wrk.RunAsync(warm, connections, TimeSpan.FromSeconds(2), owner.Token);
    }

    await Wrk.RunAsync(hello.Endpoint, connections, TimeSpan.FromSeconds(2));
    table.SetHello(await Wrk.RunAsync(hello.Endpoint, connections, seconds));
    var direct = await Wrk.RunAsync(tasksUrl, connections, seconds, owner.Token);
    table.Add("GET /tasks/{id}, Tasks via the Aspire proxy (2 replicas)", direct);
    var replicaUrl = new Uri(ProcessCpu.OwnUrls("TaskFlow.Tasks", markers)[0], taskPath);
    await Wrk.RunAsync(replicaUrl, connections, TimeSpan.FromSeconds(2), owner.Token);
    var replica = await Wrk.RunAsync(replicaUrl, connections, seconds, owner.Token);
    table.Add("GET /tasks/{id}, one Tasks replica at its own port", replica);
    table.Nginx = await Wrk.RunAsync(nginxUrl, connections, seconds, owner.Token);
    table.Add("GET /tasks/{id}, nginx → Tasks", table.Nginx);
    var viaGateway = await Wrk.RunAsync(gatewayUrl, connections, seconds, owner.Token);
    table.Add("GET /tasks/{id}, gateway → Tasks", viaGateway, vsNginx: true);
    // "Direct" is a Tasks process itself, like hello: the Aspire proxy in front of the replicas is local orchestration
    // (not in a deployment; there kube-proxy forwards in the kernel), measured in the row above for comparison.
    var directRatio = replica.RequestsPerSecond / table.Hello!.RequestsPerSecond;
    table.Target("GET /tasks/{id}: Tasks direct (one replica, own port) ÷ Kestrel hello", $"{replica.RequestsPerSecond:N0} ÷ {table.Hello.RequestsPerSecond:N0} = {directRatio:0.000}",
        "≥ 0.3", directRatio >= 0.3);
    var gatewayRatio = viaGateway.RequestsPerSecond / table.Nginx.RequestsPerSecond;
    table.Target("the same through the gateway ÷ through nginx", $"{viaGateway.RequestsPerSecond:N0} ÷ {table.Nginx.RequestsPerSecond:N0} = {gatewayRatio:0.00}", "≥ 0.8", gatewayRatio >= 0.8);
    if (args.Contains("--get-only"))
    {
        if (args.Contains("--profile"))
        {
            await Profiler.ProfileAsync(markers, TimeSpan.FromSeconds(12), () => Wrk.RunAsync(gatewayUrl, connections, TimeSpan.FromSeconds(10), owner.Token),
                ["TaskFlow.Gateway", "TaskFlow.Tasks"], "gateway GET");
        }

        table.Print();
        table.PrintTargets();
        return 0;
    }
}

// Warm-up, like the GET rows: the write path's code compiled at its final tier, pools and thread pools grown; then drained.
await PostLoadAsync(connections, TimeSpan.FromSeconds(5));
await DrainAsync(TimeSpan.FromSeconds(60));
var cpuBefore = ProcessCpu.Snapshot(markers);
var post = await PostLoadAsync(connections, postSeconds);
// Until every event of the run is relayed, consumed, stored and pushed.
var drained = await DrainAsync(TimeSpan.FromSeconds(120));
var cpu = ProcessCpu.Since(cpuBefore, markers);
table.Add($"POST /tasks, gateway, {connections} connections", post);
var createdTasks = Math.Max(1, post.Requests - post.Errors);
var serviceCpuMs = ProcessCpu.Services.Sum(s => cpu[s]) * 1000 / createdTasks;
table.AddText($"CPU per created task (TaskFlow services + stand-in, /proc, {postSeconds.TotalSeconds:0} s run)", $"{serviceCpuMs:0.00} ms",
    $"{serviceCpuMs / 5.0:0.0}× the 5 ms target",
    $"counted until quiet, {drained.TotalSeconds:0} s after the load; with PostgreSQL, Redis and RabbitMQ {cpu.Values.Sum() * 1000 / createdTasks:0.00} ms: "
    + string.Join(", ", cpu.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value * 1000 / createdTasks:0.00}")));
table.Target("CPU per created task, all service processes (stand-in included)", $"{serviceCpuMs:0.00} ms", "≤ 5 ms", serviceCpuMs <= 5);
table.Target($"POST /tasks via the gateway, c{connections}", $"{post.RequestsPerSecond:N0}/s, p99 {post.P99Ms:0} ms", "≥ 500/s, p99 ≤ 50 ms",
    post.RequestsPerSecond >= 500 && post.P99Ms <= 50 && post.Errors == 0);

if (args.Contains("--post-only"))
{
    if (args.Contains("--profile"))
    {
        await ProfilePostAsync();
    }

    table.Print();
    return 0;
}

var post32 = await PostLoadAsync(32, seconds);
table.Add("POST /tasks, gateway, 32 connections", post32);
await DrainAsync(TimeSpan.FromSeconds(60)); // drained before the next row

if (args.Contains("--profile"))
{
    await ProfilePostAsync();
}

// Login through the gateway (password hashing is the point of this row).
var loginScript = $$"""
    wrk.method = "POST"
    wrk.body = '{"email":"{{owner.Email}}","password":"{{BenchSystem.Password}}"}'
    wrk.headers["Content-Type"] = "application/json"
    """;
table.Add("POST /users/login, gateway", await Wrk.RunAsync(new Uri(system.Endpoint("gateway"), "/users/login"), connections, seconds, null, loginScript));

await EventLatencyRowsAsync();

// One created task's trace: the harness starts the trace (traceparent), the services continue it.
var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
using (var gateway = system.AuthorizedClient("gateway", owner))
{
    using var traced = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { title = "traced", assigneeId = assignee.Id }) };
    traced.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01");
    (await gateway.SendAsync(traced)).EnsureSuccessStatusCode();
}

await Task.Delay(TimeSpan.FromSeconds(5));
var spans = system.Telemetry.SpansOf(traceId);
table.AddText("spans in one created task's trace", spans.Count.ToString(CultureInfo.InvariantCulture), "",
    string.Join(", ", spans.GroupBy(s => s.Service).Select(g => $"{g.Key}: {string.Join(" | ", g.Select(s => s.Name))}")));

// Idle: nothing but the system itself.
await Task.Delay(TimeSpan.FromSeconds(10));
var idleFrom = DateTime.UtcNow;
var idleCpuBefore = ProcessCpu.Snapshot(markers);
await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
var idleTo = DateTime.UtcNow;
var idleCpu = ProcessCpu.Since(idleCpuBefore, markers);
await Task.Delay(TimeSpan.FromSeconds(5)); // the last batch of spans
var idleTraces = system.Telemetry.TracesStartedBetween(idleFrom, idleTo) * 60.0 / idleSeconds;
table.AddText("idle traces per minute", $"{idleTraces:0.0}", $"{idleTraces / 5:0.0}× the 5/min target",
    string.Join(", ", system.Telemetry.Spans.Where(s => s.IsRoot && s.StartUtc >= idleFrom && s.StartUtc < idleTo)
        .GroupBy(s => $"{s.Service}: {s.Name}").OrderByDescending(g => g.Count()).Take(5).Select(g => $"{g.Key} ×{g.Count()}")));
var idleCore = ProcessCpu.Services.Sum(s => idleCpu[s]) * 100 / idleSeconds;
table.AddText("idle CPU (TaskFlow services + stand-in)", $"{idleCore:0.0}% of one core", $"{idleCore / 3:0.0}× the 3% target",
    string.Join(", ", idleCpu.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value * 100 / idleSeconds:0.0}%")));

// Restarts with a warm build (last: they disturb everything else): until register, login and create work again.
var restarts = new List<string>();
var slowestRestart = TimeSpan.Zero;
foreach (var resource in new[] { "gateway", "users" })
{
    var restart = await RestartStage.RunAsync(system, resource, CancellationToken.None);
    table.AddText($"restart of {resource} (warm build) until register + login + create work", $"{restart.TotalSeconds:0.0} s",
        $"{restart.TotalSeconds / 15:0.00}× the 15 s target", "resource-stop, then resource-start through Aspire's commands");
    restarts.Add($"{resource} {restart.TotalSeconds:0.0} s");
    slowestRestart = restart > slowestRestart ? restart : slowestRestart;
}

table.Target("restart with a warm build, until register+login+create work", string.Join(", ", restarts), "≤ 15 s", slowestRestart <= TimeSpan.FromSeconds(15));

Console.WriteLine();
Console.WriteLine($"Load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine();
table.Print();
Console.WriteLine();
table.PrintTargets();
return 0;

int Option(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length
    ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

string TextOption(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

// POST /tasks through the gateway with wrk (the Lua body above).
Task<LoadResult> PostLoadAsync(int clients, TimeSpan duration) =>
    Wrk.RunAsync(new Uri(system.Endpoint("gateway"), "/tasks"), clients, duration, owner.Token, postScript);

// Until the work a load left behind is done: this run's processes under 0.3 of a core for 2 s (at most the limit).
Task<TimeSpan> DrainAsync(TimeSpan limit) => ProcessCpu.WaitUntilQuietAsync(markers, 0.3, limit);

// Every service sampled by dotnet-trace under 10 s of the POST load.
Task ProfilePostAsync() => Profiler.ProfileAsync(markers, TimeSpan.FromSeconds(12), () => PostLoadAsync(connections, TimeSpan.FromSeconds(10)));

// Event latency, task saved → notification on the assignee's SSE stream, through the gateway (after a short warm-up).
async Task EventLatencyRowsAsync()
{
    await EventLatency.RunAsync(system, owner, assignee, 10, TimeSpan.FromSeconds(3));
    var latencies = new List<string>();
    foreach (var rate in new[] { 20, 50, 200 })
    {
        var events = await EventLatency.RunAsync(system, owner, assignee, rate, seconds);
        table.AddText($"event latency at {rate} tasks/s (saved → SSE push)", $"p50 {events.P50Ms:0} ms, p99 {events.P99Ms:0} ms",
            $"p99 {events.P99Ms / 100:0.00}× the 100 ms target",
            $"{events.Created} created, {events.Received} pushed, {events.Created - events.Received} lost, {events.Duplicates} twice; max {events.MaxMs:0} ms, {events.OverOneSecond} over 1 s; {events.Stages}");
        latencies.Add($"{events.P99Ms:N0}" + (events.Created == events.Received ? "" : $" ({events.Created - events.Received} lost)"));
        if (rate == 200)
        {
            table.Target("event → stream p99 at 20 / 50 / 200 tasks/s", string.Join(" / ", latencies) + " ms",
                "≤ 100 ms at 200/s, 0 lost", events.P99Ms <= 100 && events.Created == events.Received && events.Duplicates == 0);
        }
    }
}
