using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TaskFlow.ServiceDefaults.Telemetry;

/// <summary>
/// Decides whether a new trace starts. A client span with no parent (a database command, a Redis call or an HTTP
/// probe that no request, message or job started: outbox sweeps, health probes, cache housekeeping) is background
/// noise and starts no trace. Every other root starts one with the configured probability
/// (<see cref="RatioKey"/>, 0 to 1, default 1: every request), decided by its trace id, so all services that see a
/// root agree. Wrapped in a <see cref="ParentBasedSampler"/>, so spans inside a recorded trace are always recorded and
/// spans under a dropped root are dropped with it (the gateway's decision travels in <c>traceparent</c> and in the
/// events' trace context).
/// </summary>
public sealed class BackgroundRootSampler : Sampler
{
    /// <summary>The configuration key of the share of root requests and jobs that are traced (e.g. <c>Telemetry__TraceSampleRatio=0.1</c>).</summary>
    public const string RatioKey = "Telemetry:TraceSampleRatio";

    private readonly Sampler? _ratio;

    private BackgroundRootSampler(double ratio) =>
        _ratio = ratio >= 1 ? null : new TraceIdRatioBasedSampler(ratio);

    /// <summary>Every root except background client calls is traced.</summary>
    public static Sampler Create() => Create(1);

    /// <summary>A share <paramref name="ratio"/> (0 to 1) of the roots that are not background client calls is traced.</summary>
    public static Sampler Create(double ratio)
    {
        if (double.IsNaN(ratio) || ratio < 0 || ratio > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The trace sample ratio must be between 0 and 1.");
        }

        return new ParentBasedSampler(new BackgroundRootSampler(ratio));
    }

    /// <summary>The sampler for <see cref="RatioKey"/> in <paramref name="configuration"/>; a value that is not a number from 0 to 1 stops the start with a clear message.</summary>
    public static Sampler Create(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[RatioKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return Create();
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || double.IsNaN(ratio) || ratio < 0 || ratio > 1)
        {
            throw new InvalidOperationException($"{RatioKey} must be a number from 0 to 1 (the share of requests traced), not '{value}'.");
        }

        return Create(ratio);
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.ParentContext.TraceId == default && samplingParameters.Kind == ActivityKind.Client
            ? new SamplingResult(SamplingDecision.Drop)
            : _ratio?.ShouldSample(samplingParameters) ?? new SamplingResult(SamplingDecision.RecordAndSample);
}
