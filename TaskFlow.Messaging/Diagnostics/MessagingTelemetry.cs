using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TaskFlow.Messaging.Diagnostics;

/// <summary>Spans (publish → process in one trace) and metrics of the messaging library.</summary>
public static class MessagingTelemetry
{
    /// <summary>Registered by ServiceDefaults' tracing.</summary>
    public const string ActivitySourceName = "TaskFlow.Messaging";

    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    internal static Meter Meter { get; } = new("TaskFlow.Messaging");

    internal static Counter<long> Published { get; } = Meter.CreateCounter<long>("taskflow.messaging.published", description: "Events confirmed by the broker.");

    internal static Counter<long> Consumed { get; } = Meter.CreateCounter<long>("taskflow.messaging.consumed", description: "Events handled and acknowledged.");

    /// <summary>
    /// Exported from the start with every reason at 0: a counter that first appears at 1 never makes
    /// <c>increase()</c> or <c>rate()</c> fire, so the first dead letter would go unnoticed.
    /// </summary>
    internal static ZeroedCounter DeadLettered { get; } = new(
        "taskflow.messaging.dead_lettered", "Messages sent to a dead-letter queue.", "reason", ["invalid", "handler"]);

    internal static ZeroedCounter Retried { get; } = new("taskflow.messaging.retried", "Messages scheduled for another attempt.", null, []);

    /// <summary>
    /// A counter reported by observation, so each known label value is exported at 0 before anything is counted
    /// (an ordinary <see cref="Counter{T}"/> has no series until its first measurement).
    /// </summary>
    internal sealed class ZeroedCounter
    {
        private readonly string? _label;
        private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

        public ZeroedCounter(string name, string description, string? label, IEnumerable<string> knownValues)
        {
            _label = label;
            foreach (var value in label is null ? new[] { "" } : knownValues)
            {
                _totals[value] = 0;
            }

            Meter.CreateObservableCounter(name, Observe, description: description);
        }

        public void Add(long delta) => _totals.AddOrUpdate("", delta, (_, total) => total + delta);

        public void Add(long delta, KeyValuePair<string, object?> tag) =>
            _totals.AddOrUpdate(tag.Value?.ToString() ?? "", delta, (_, total) => total + delta);

        private IEnumerable<Measurement<long>> Observe() =>
            _totals.Select(t => _label is null
                ? new Measurement<long>(t.Value)
                : new Measurement<long>(t.Value, new KeyValuePair<string, object?>(_label, t.Key)));
    }
}
