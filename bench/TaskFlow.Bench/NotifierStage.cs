using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using RabbitMQ.Client;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Publishing;

namespace TaskFlow.Bench;

/// <summary>One rate of the Notifier stage: events published, pushed, Notifier CPU per event and latency.</summary>
internal sealed record NotifierStageResult(int Rate, int Published, int Received, int Duplicates, double P50Ms, double P99Ms, double MaxMs, double CpuMsPerEvent);

/// <summary>
/// The Notifier alone (<c>--notifier-stage</c>): <c>task.created</c> events published straight to the exchange at a
/// steady rate (open loop, as the Tasks relay would), each for one assignee whose SSE stream is open through the
/// gateway. Latency = publish → the notification on the stream; CPU = the Notifier processes' /proc time over the
/// run plus the drain, ÷ events. Tasks, Users and the stand-in do no work, so the rate is not capped by them.
/// </summary>
internal static class NotifierStage
{
    public static async Task<NotifierStageResult> RunAsync(BenchSystem system, BenchUser assignee, IReadOnlyList<string> markers, int rate, TimeSpan duration)
    {
        using var stream = system.AuthorizedClient("gateway", assignee);
        stream.Timeout = Timeout.InfiniteTimeSpan;
        var arrivals = new ConcurrentDictionary<Guid, ConcurrentBag<long>>();
        using var stop = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notifications/stream");
        using var response = await stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = Task.Run(() => ReadAsync(response, arrivals, stop.Token));

        var factory = new ConnectionFactory { Uri = new Uri(await system.App.GetConnectionStringAsync("rabbitmq") ?? throw new InvalidOperationException("no rabbitmq")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var owner = Guid.NewGuid();
        var assigneeId = Guid.Parse(assignee.Id);
        var count = (int)(rate * duration.TotalSeconds);
        var sent = new Dictionary<Guid, long>(count);
        var cpuBefore = ProcessCpu.Snapshot(markers)["TaskFlow.Notifier"];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var taskId = Guid.NewGuid();
            var envelope = IntegrationEventEnvelope.Create(
                new TaskCreated(taskId, owner, assigneeId, $"stage {rate}/s #{i}", "todo", owner, 1, DateTimeOffset.UtcNow), subject: taskId.ToString(), source: "/taskflow/bench");
            var properties = new BasicProperties { Persistent = true, ContentType = IntegrationEventEnvelope.MediaType, MessageId = envelope.Id, Type = envelope.Type };
            sent[taskId] = Stopwatch.GetTimestamp();
            await channel.BasicPublishAsync(MessagingTopology.ExchangeName, EventTypes.TaskCreated, mandatory: false, properties, IntegrationEventEnvelope.Encode(envelope));
        }

        var deadline = Stopwatch.StartNew();
        while (sent.Keys.Any(id => !arrivals.ContainsKey(id)) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        await Task.Delay(1000); // duplicates, and the last commits' CPU
        var cpu = ProcessCpu.Snapshot(markers)["TaskFlow.Notifier"] - cpuBefore;
        await stop.CancelAsync();
        await reader;

        var latencies = sent.Where(s => arrivals.ContainsKey(s.Key))
            .Select(s => Stopwatch.GetElapsedTime(s.Value, arrivals[s.Key].Min()).TotalMilliseconds)
            .Order()
            .ToArray();
        var duplicates = sent.Keys.Sum(id => arrivals.TryGetValue(id, out var seen) ? Math.Max(0, seen.Count - 1) : 0);
        return new NotifierStageResult(rate, count, latencies.Length, duplicates, EventLatency.Percentile(latencies, 0.50), EventLatency.Percentile(latencies, 0.99),
            latencies.Length == 0 ? double.NaN : latencies[^1], cpu * 1000 / Math.Max(1, count));
    }

    private static async Task ReadAsync(HttpResponseMessage response, ConcurrentDictionary<Guid, ConcurrentBag<long>> arrivals, CancellationToken cancellationToken)
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

                var now = Stopwatch.GetTimestamp();
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                if (data.RootElement.TryGetProperty("taskId", out var taskId) && taskId.TryGetGuid(out var id))
                {
                    arrivals.GetOrAdd(id, _ => []).Add(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
