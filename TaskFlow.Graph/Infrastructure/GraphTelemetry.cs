using System.Diagnostics.Metrics;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// Spans and metrics of the GraphQL service. The ActivitySource carries the application's name, which
/// ServiceDefaults registers with OpenTelemetry; the Meter's name matches its <c>TaskFlow.*</c> meters, so both reach
/// OTLP and Prometheus without further wiring.
/// </summary>
public sealed class GraphTelemetry
{
    public const string Name = "TaskFlow.Graph";

    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _downstreamCalls;

    public GraphTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _requests = meter.CreateCounter<long>("taskflow.graph.requests", "{request}", "GraphQL requests by operation name and type.");
        _errors = meter.CreateCounter<long>("taskflow.graph.errors", "{error}", "GraphQL errors returned, by operation name and extensions.code.");
        _duration = meter.CreateHistogram<double>("taskflow.graph.request.duration", "s", "Time to answer a GraphQL request, by operation name.");
        _downstreamCalls = meter.CreateCounter<long>("taskflow.graph.downstream.calls", "{call}", "REST calls the GraphQL service made, by service endpoint.");
    }

    public void RequestCompleted(string operation, string operationType, TimeSpan elapsed, IEnumerable<string> errorCodes)
    {
        var name = new KeyValuePair<string, object?>("graphql.operation.name", operation);
        _requests.Add(1, name, new KeyValuePair<string, object?>("graphql.operation.type", operationType));
        _duration.Record(elapsed.TotalSeconds, name);
        foreach (var code in errorCodes)
        {
            _errors.Add(1, name, new KeyValuePair<string, object?>("graphql.error.code", code));
        }
    }

    public void DownstreamCall(string endpoint) =>
        _downstreamCalls.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));

    /// <summary>A span for work that leaves the process (a resolver's REST call, a batch load).</summary>
    public static Activity? StartResolver(string field, string? path = null)
    {
        var activity = Source.StartActivity($"graphql.resolve {field}");
        activity?.SetTag("graphql.field.name", field);
        if (path is not null)
        {
            activity?.SetTag("graphql.field.path", path);
        }

        return activity;
    }
}
