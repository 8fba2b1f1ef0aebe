using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using TaskFlow.Messaging.Contracts;
using TaskFlow.Messaging.Envelope;
using TaskFlow.Messaging.Publishing;

namespace TaskFlow.Bench;

/// <summary>One rate of the Webhooks stage: events published, POSTs received, Webhooks CPU per event and latency.</summary>
internal sealed record WebhooksStageResult(int Rate, int Published, int Received, int Duplicates, double P50Ms, double P99Ms, double MaxMs, double CpuMsPerEvent);

/// <summary>
/// Webhook delivery alone (<c>--webhooks-stage</c>): one subscription (created through the gateway) to a receiver in
/// this process (Kestrel on loopback, answering 204 at once), and <c>task.created</c> events of its owner published
/// straight to the exchange at a steady rate (open loop). Latency = publish → the signed POST at the receiver; CPU =
/// the Webhooks processes' /proc time over the run plus the drain, ÷ events.
/// </summary>
internal static class WebhooksStage
{
    public static async Task<WebhooksStageResult> RunAsync(BenchSystem system, BenchUser owner, IReadOnlyList<string> markers, int rate, TimeSpan duration)
    {
        var arrivals = new ConcurrentDictionary<Guid, ConcurrentBag<long>>();
        await using var receiver = await StartReceiverAsync(arrivals);
        using var gateway = system.AuthorizedClient("gateway", owner);
        using var created = await gateway.PostAsJsonAsync("/webhooks", new { url = receiver.Url, events = new[] { EventTypes.TaskCreated }, description = "bench receiver" });
        created.EnsureSuccessStatusCode();
        var webhookId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var factory = new ConnectionFactory { Uri = new Uri(await system.App.GetConnectionStringAsync("rabbitmq") ?? throw new InvalidOperationException("no rabbitmq")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var ownerId = Guid.Parse(owner.Id);
        var count = (int)(rate * duration.TotalSeconds);
        var sent = new Dictionary<Guid, long>(count);
        var cpuBefore = ProcessCpu.Snapshot(markers)["TaskFlow.Webhooks"];
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
                new TaskCreated(taskId, ownerId, null, $"webhooks {rate}/s #{i}", "todo", ownerId, 1, DateTimeOffset.UtcNow), subject: taskId.ToString(), source: "/taskflow/bench");
            var properties = new BasicProperties { Persistent = true, ContentType = IntegrationEventEnvelope.MediaType, MessageId = envelope.Id, Type = envelope.Type };
            sent[taskId] = Stopwatch.GetTimestamp();
            await channel.BasicPublishAsync(MessagingTopology.ExchangeName, EventTypes.TaskCreated, mandatory: false, properties, IntegrationEventEnvelope.Encode(envelope));
        }

        var deadline = Stopwatch.StartNew();
        while (sent.Keys.Any(id => !arrivals.ContainsKey(id)) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        await Task.Delay(1000); // duplicates, and the last results' CPU
        var cpu = ProcessCpu.Snapshot(markers)["TaskFlow.Webhooks"] - cpuBefore;
        using (await gateway.DeleteAsync($"/webhooks/{webhookId}"))
        {
        }

        var latencies = sent.Where(s => arrivals.ContainsKey(s.Key))
            .Select(s => Stopwatch.GetElapsedTime(s.Value, arrivals[s.Key].Min()).TotalMilliseconds)
            .Order()
            .ToArray();
        var duplicates = sent.Keys.Sum(id => arrivals.TryGetValue(id, out var seen) ? Math.Max(0, seen.Count - 1) : 0);
        return new WebhooksStageResult(rate, count, latencies.Length, duplicates, EventLatency.Percentile(latencies, 0.50), EventLatency.Percentile(latencies, 0.99),
            latencies.Length == 0 ? double.NaN : latencies[^1], cpu * 1000 / Math.Max(1, count));
    }

    /// <summary>
    /// The cost when nobody subscribed (every task event of a user without a webhook, the common case):
    /// <c>task.created</c> events of a fresh owner with no webhook at a steady rate, straight to the exchange; CPU =
    /// the Webhooks processes' /proc time until queue "webhooks" is drained (plus a second for the last batch) ÷ events.
    /// </summary>
    public static async Task<double> RunWithoutSubscriptionAsync(BenchSystem system, IReadOnlyList<string> markers, int rate, TimeSpan duration)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await system.App.GetConnectionStringAsync("rabbitmq") ?? throw new InvalidOperationException("no rabbitmq")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var ownerId = Guid.NewGuid();
        var count = (int)(rate * duration.TotalSeconds);
        var cpuBefore = ProcessCpu.Snapshot(markers)["TaskFlow.Webhooks"];
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
                new TaskCreated(taskId, ownerId, null, $"no webhook {rate}/s #{i}", "todo", ownerId, 1, DateTimeOffset.UtcNow), subject: taskId.ToString(), source: "/taskflow/bench");
            var properties = new BasicProperties { Persistent = true, ContentType = IntegrationEventEnvelope.MediaType, MessageId = envelope.Id, Type = envelope.Type };
            await channel.BasicPublishAsync(MessagingTopology.ExchangeName, EventTypes.TaskCreated, mandatory: false, properties, IntegrationEventEnvelope.Encode(envelope));
        }

        var deadline = Stopwatch.StartNew();
        while ((await channel.QueueDeclarePassiveAsync("webhooks")).MessageCount > 0 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        await Task.Delay(1000); // the batches already taken (unacknowledged) finish
        var cpu = ProcessCpu.Snapshot(markers)["TaskFlow.Webhooks"] - cpuBefore;
        return cpu * 1000 / Math.Max(1, count);
    }

    private static async Task<Receiver> StartReceiverAsync(ConcurrentDictionary<Guid, ConcurrentBag<long>> arrivals)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var now = Stopwatch.GetTimestamp();
            if (body.RootElement.GetProperty("data").GetProperty("taskId").TryGetGuid(out var taskId))
            {
                arrivals.GetOrAdd(taskId, _ => []).Add(now);
            }

            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("Kestrel reports no address.");
        return new Receiver(app, address.TrimEnd('/') + "/hook");
    }

    private sealed record Receiver(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
