using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TaskFlow.Tests.Infrastructure;
using TaskFlow.Tests.Tasks;

namespace TaskFlow.Tests.Telemetry;

/// <summary>
/// Telemetry volume of the running system, from what the services export over OTLP to the fixture's receiver: one
/// created task is one trace from the gateway to the push on the assignee's live stream, with a bounded number of
/// spans; an idle system starts (almost) no traces.
/// </summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class TraceShapeTests(TaskFlowAppFixture fixture)
{
    /// <summary>
    /// The most spans one created task (assigned to another user, whose stream is open) may record: gateway 2 (server,
    /// proxy client); Tasks 4 (server, assignee lookup client, relay, publish); Users 2 (lookup server, its query);
    /// Notifier at most 7 (process, the inbox transaction's PostgreSQL commands, push) = 15; plus 4 on a Tasks replica's first request (OIDC
    /// discovery and JWKS, client and server) = 19; one to spare.
    /// </summary>
    public const int MaxSpansPerCreatedTask = 20;

    [Fact]
    public async Task A_created_task_is_one_trace_from_the_gateway_to_the_stream_push_with_a_bounded_number_of_spans()
    {
        var api = new TasksTestClient(fixture, fixture.CreateClient("tasks"));
        var owner = await api.NewUserAsync();
        var assignee = await api.NewUserAsync();

        using var streamClient = fixture.CreateGatewayClient();
        streamClient.Timeout = Timeout.InfiniteTimeSpan;
        using var streamRequest = new HttpRequestMessage(HttpMethod.Get, "/notifications/stream");
        streamRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", assignee.AccessToken);
        using var stream = await streamClient.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.ReadLineAsync()); // the stream's opening comment: subscribed

        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var gateway = fixture.CreateGatewayClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { title = "traced", assigneeId = assignee.Id }) };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner.AccessToken);
        post.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
        using var created = await gateway.SendAsync(post);
        await TasksTestClient.ExpectAsync(created, HttpStatusCode.Created);
        var taskId = (await TasksTestClient.ReadAsync<TasksTestClient.TaskDto>(created)).Id;

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line && !(line.StartsWith("data:", StringComparison.Ordinal) && line.Contains(taskId, StringComparison.Ordinal)))
            {
            }
        }

        var clock = Stopwatch.StartNew();
        while (!fixture.Telemetry.SpansOf(traceId).Any(s => s.Name == "notification push"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), Describe(fixture.Telemetry.SpansOf(traceId)));
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // stragglers of the last export batches
        var spans = fixture.Telemetry.SpansOf(traceId);
        var summary = Describe(spans);
        Assert.DoesNotContain(spans, s => s.IsRoot); // every span continues the client's trace
        Assert.Contains(spans, s => s.Service == "gateway" && s.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Service == "tasks" && s.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Service == "tasks" && s.Name == "task.created relay");
        Assert.Contains(spans, s => s.Service == "tasks" && s.Name == "task.created publish");
        Assert.Contains(spans, s => s.Service == "notifier" && s.Name == "task.created process");
        Assert.Single(spans, s => s.Service == "notifier" && s.Name == "notification push");
        Assert.DoesNotContain(spans, s => s.Name.StartsWith("insert ", StringComparison.Ordinal) || s.Name.StartsWith("find ", StringComparison.Ordinal));
        Assert.True(spans.Count <= MaxSpansPerCreatedTask, $"{spans.Count} spans: {summary}");
    }

    [Fact]
    public async Task An_idle_system_starts_at_most_two_traces_in_thirty_seconds()
    {
        // Let the previous test's work drain, then watch the whole system (2 gateways, 2 Tasks, 2 Notifiers, Users).
        await Task.Delay(TimeSpan.FromSeconds(5));
        var from = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(30));
        var to = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2));

        var started = fixture.Telemetry.Spans.Where(s => s.StartUtc >= from && s.StartUtc < to).ToList();
        var traces = started.Select(s => s.TraceId).Distinct().Count();
        Assert.True(traces <= 2, $"{traces} traces while idle: {Describe(started.Where(s => s.IsRoot).ToList())}");

        // The receiver does see this system: a request now is recorded.
        using var gateway = fixture.CreateGatewayClient();
        using var probe = await gateway.GetAsync("/tasks");
        Assert.Equal(HttpStatusCode.Unauthorized, probe.StatusCode);
        var clock = Stopwatch.StartNew();
        while (!fixture.Telemetry.Spans.Any(s => s.StartUtc >= to && s.Service == "gateway"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no span from the gateway after the idle window");
            await Task.Delay(100);
        }
    }

    private static string Describe(IReadOnlyList<TaskFlow.Bench.ReceivedSpan> spans) =>
        string.Join("; ", spans.GroupBy(s => s.Service).Select(g => $"{g.Key}: {string.Join(" | ", g.Select(s => s.Name))}"));
}
