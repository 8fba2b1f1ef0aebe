using System.Diagnostics.Metrics;

namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// The delivery metrics (meter <c>TaskFlow.Webhooks</c>, exported at /metrics like every TaskFlow meter): attempts by
/// outcome, attempt duration, and the latency from the event's delivery being scheduled to its success.
/// </summary>
public sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "TaskFlow.Webhooks";

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _disabled;
    private int _inFlight;

    public WebhookMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _attempts = _meter.CreateCounter<long>("taskflow.webhooks.attempts", "{attempt}", "Delivery attempts, by outcome (succeeded, http_error, no_answer).");
        _attemptDuration = _meter.CreateHistogram<double>("taskflow.webhooks.attempt.duration", "s", "Time from sending a delivery to its answer (or the timeout).");
        _deliveryLatency = _meter.CreateHistogram<double>("taskflow.webhooks.delivery.latency", "s", "Time from a delivery being scheduled (its event consumed) to its success.");
        _disabled = _meter.CreateCounter<long>("taskflow.webhooks.disabled", "{subscription}", "Subscriptions disabled by the service (410 answer, failing too long).");
        _meter.CreateObservableGauge("taskflow.webhooks.in_flight", () => Volatile.Read(ref _inFlight), "{attempt}", "Attempts in flight on this replica.");
    }

    public void AttemptStarted() => Interlocked.Increment(ref _inFlight);

    public void AttemptFinished(AttemptResult result, TimeSpan? sinceScheduled)
    {
        ArgumentNullException.ThrowIfNull(result);
        Interlocked.Decrement(ref _inFlight);
        var outcome = new KeyValuePair<string, object?>("outcome", result.Outcome);
        _attempts.Add(1, outcome);
        _attemptDuration.Record(result.Duration.TotalSeconds, outcome);
        if (result.Succeeded && sinceScheduled is TimeSpan latency)
        {
            _deliveryLatency.Record(Math.Max(0, latency.TotalSeconds));
        }
    }

    public void Disabled(string reason) => _disabled.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
