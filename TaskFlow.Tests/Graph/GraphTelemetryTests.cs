using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskFlow.Graph.Infrastructure;
using TaskFlow.Graph.Model;

namespace TaskFlow.Tests.Graph;

/// <summary>Each I/O resolver is a span of the request's trace, and every request is counted by operation name.</summary>
[Trait("Category", "Unit")]
public sealed class GraphTelemetryTests
{
    [Fact]
    public async Task Resolvers_and_their_REST_calls_run_inside_the_requests_trace()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GraphTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var restTraces = new ConcurrentBag<(string Path, ActivityTraceId? Trace)>();
        await using var host = new GraphUnitHost(request =>
        {
            restTraces.Add((request.RequestUri!.AbsolutePath, Activity.Current?.TraceId));
            return request.RequestUri.AbsolutePath switch
            {
                "/users/me" => GraphUnitHost.Json(new { id = "u1", displayName = "Ada" }),
                "/tasks" => GraphUnitHost.Json(new
                {
                    items = new[]
                    {
                        new { id = "t1", ownerId = "u2", title = "T", status = "todo", priority = "low", tags = Array.Empty<string>(), createdAt = "2026-12-01T10:00:00Z", updatedAt = "2026-12-01T10:00:00Z", version = 1 },
                    },
                    nextCursor = (string?)null,
                }),
                _ => GraphUnitHost.Json(new { items = new[] { new { id = "u2", displayName = "Bo" } } }),
            };
        });

        var answer = await host.PostQueryAsync("query TraceProbe { me { id } tasks { nodes { owner { displayName } } } }");

        Assert.Empty(answer.ErrorCodes);
        var root = Assert.Single(spans, s => s.OperationName == "graphql.execute" && s.DisplayName == "graphql query TraceProbe");
        var ofRequest = spans.Where(s => s.TraceId == root.TraceId).Select(s => s.DisplayName).ToList();
        Assert.Contains("graphql.resolve Query.me", ofRequest);
        Assert.Contains("graphql.resolve Query.tasks", ofRequest);
        Assert.Contains("graphql.resolve User (batch)", ofRequest);
        Assert.Equal(["/tasks", "/users/batch", "/users/me"], restTraces.Select(r => r.Path).Order());
        Assert.All(restTraces, r => Assert.Equal(root.TraceId, r.Trace));
    }

    [Fact]
    public async Task Requests_errors_and_latency_are_measured_by_operation_name()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GraphTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, Tags(tags))));
        listener.Start();

        await using var host = new GraphUnitHost(_ => GraphUnitHost.Problem(HttpStatusCode.NotFound, "Not Found"));
        await host.PostQueryAsync("query MetricsProbe { task(id: \"0193a0c0-0000-7000-8000-0000000000aa\") { id } }");

        var ofProbe = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("graphql.operation.name"), "MetricsProbe")).ToList();
        var request = Assert.Single(ofProbe, m => m.Instrument == "taskflow.graph.requests");
        Assert.Equal("query", request.Tags["graphql.operation.type"]);
        var error = Assert.Single(ofProbe, m => m.Instrument == "taskflow.graph.errors");
        Assert.Equal(GraphErrorCodes.NotFound, error.Tags["graphql.error.code"]);
        Assert.Single(ofProbe, m => m.Instrument == "taskflow.graph.request.duration" && m.Value > 0);
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        return copy;
    }
}
