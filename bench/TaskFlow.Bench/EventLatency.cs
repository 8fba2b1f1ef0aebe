using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace TaskFlow.Bench;

/// <summary>Task saved → notification pushed on the assignee's SSE stream, through the gateway, at a steady rate.</summary>
internal sealed record EventLatencyResult(int Rate, int Created, int Received, int Duplicates, double P50Ms, double P99Ms, double MaxMs, int OverOneSecond, string Stages);

internal static class EventLatency
{
    /// <summary>
    /// Open loop: task i is created at i/rate s (owner → assignee), whatever the earlier requests are doing. The latency
    /// of a task is from its <c>createdAt</c> (set by Tasks when it writes the task and its pending event) to the moment
    /// its <c>task.assigned</c>/<c>task.created</c> notification arrives on the assignee's stream (both clocks this machine's).
    /// Each POST starts its own trace (<c>traceparent</c>), so the latency also splits into stages from the spans the
    /// services export (<see cref="StageBreakdown"/>).
    /// </summary>
    public static async Task<EventLatencyResult> RunAsync(BenchSystem system, BenchUser owner, BenchUser assignee, int rate, TimeSpan duration)
    {
        using var stream = system.AuthorizedClient("gateway", assignee);
        stream.Timeout = Timeout.InfiniteTimeSpan;
        using var posts = system.AuthorizedClient("gateway", owner);
        var arrivals = new ConcurrentDictionary<string, ConcurrentBag<DateTime>>();
        using var stop = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notifications/stream");
        using var response = await stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = Task.Run(() => ReadAsync(response, arrivals, stop.Token));

        var count = (int)(rate * duration.TotalSeconds);
        var created = new ConcurrentDictionary<string, DateTime>();
        var traces = new ConcurrentDictionary<string, string>();
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var title = $"latency {rate}/s #{i}";
            inFlight.Add(Task.Run(async () =>
            {
                var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                using var message = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { title, assigneeId = assignee.Id }) };
                message.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
                using var post = await posts.SendAsync(message);
                post.EnsureSuccessStatusCode();
                var task = await post.Content.ReadFromJsonAsync<JsonElement>();
                var id = task.GetProperty("id").GetString()!;
                traces[id] = traceId;
                created[id] = task.GetProperty("createdAt").GetDateTime().ToUniversalTime();
            }));
        }

        await Task.WhenAll(inFlight);
        var deadline = Stopwatch.StartNew();
        while (created.Keys.Any(id => !arrivals.ContainsKey(id)) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        // A little longer, to see duplicates.
        await Task.Delay(1000);
        await stop.CancelAsync();
        await reader;

        var latencies = created
            .Where(c => arrivals.ContainsKey(c.Key))
            .Select(c => (arrivals[c.Key].Min() - c.Value).TotalMilliseconds)
            .Order()
            .ToArray();
        var duplicates = created.Keys.Sum(id => arrivals.TryGetValue(id, out var seen) ? Math.Max(0, seen.Count - 1) : 0);
        return new EventLatencyResult(rate, created.Count, latencies.Length, duplicates, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            latencies.Length == 0 ? double.NaN : latencies[^1], latencies.Count(l => l > 1000),
            StageBreakdown(system.Telemetry, created, traces, arrivals));
    }

    /// <summary>
    /// Where the time between <c>createdAt</c> and the push went, p50/p99 per stage over the tasks whose relay and
    /// Notifier spans arrived: outbox (saved → the relay picks the event up), publish (the relay span: publish and
    /// broker confirm), queue (relay done → the Notifier starts processing it: broker, prefetch, earlier batches),
    /// consume (the Notifier's process span: its batch's transaction) and push (processed → on the stream: the
    /// commit, NOTIFY, the stream's write through the gateway).
    /// </summary>
    private static string StageBreakdown(OtlpTraceReceiver telemetry, ConcurrentDictionary<string, DateTime> created,
        ConcurrentDictionary<string, string> traces, ConcurrentDictionary<string, ConcurrentBag<DateTime>> arrivals)
    {
        var wanted = traces.Values.ToHashSet();
        var spans = telemetry.Spans.Where(s => wanted.Contains(s.TraceId)).ToLookup(s => s.TraceId);
        string[] names = ["outbox", "publish", "queue", "consume", "push"];
        var stages = names.ToDictionary(n => n, _ => new List<double>());
        foreach (var (id, traceId) in traces)
        {
            var relay = spans[traceId].Where(s => s.Service == "tasks" && s.Name.EndsWith(" relay", StringComparison.Ordinal)).MinBy(s => s.StartUtc);
            var process = spans[traceId].Where(s => s.Service == "notifier" && s.Name.EndsWith(" process", StringComparison.Ordinal)).MinBy(s => s.StartUtc);
            if (relay is null || process is null || !arrivals.TryGetValue(id, out var seen) || !created.TryGetValue(id, out var at))
            {
                continue;
            }

            stages["outbox"].Add((relay.StartUtc - at).TotalMilliseconds);
            stages["publish"].Add((relay.EndUtc - relay.StartUtc).TotalMilliseconds);
            stages["queue"].Add((process.StartUtc - relay.EndUtc).TotalMilliseconds);
            stages["consume"].Add((process.EndUtc - process.StartUtc).TotalMilliseconds);
            stages["push"].Add((seen.Min() - process.EndUtc).TotalMilliseconds);
        }

        var count = stages["outbox"].Count;
        return $"stages p50/p99 over {count} traced: " + string.Join(", ", names.Select(n =>
        {
            var sorted = stages[n].Order().ToArray();
            return $"{n} {Percentile(sorted, 0.50):0}/{Percentile(sorted, 0.99):0} ms";
        }));
    }

    private static async Task ReadAsync(HttpResponseMessage response, ConcurrentDictionary<string, ConcurrentBag<DateTime>> arrivals, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var now = DateTime.UtcNow;
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                if (data.RootElement.TryGetProperty("taskId", out var taskId) && taskId.GetString() is { } id)
                {
                    arrivals.GetOrAdd(id, _ => []).Add(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
