using System.Diagnostics;

namespace TaskFlow.ServiceDefaults.Telemetry;

/// <summary>
/// Decides whether a new trace starts. A client span with no parent (a database command, a Redis call or an HTTP
/// probe that no request, message or job started: outbox sweeps, health probes, cache housekeeping) is background
/// noise and starts no trace; everything else does. Wrapped in a <see cref="ParentBasedSampler"/>, so spans inside
/// a recorded trace are always recorded and spans under a dropped root are dropped with it.
/// </summary>
public sealed class BackgroundRootSampler : Sampler
{
    public static Sampler Create() => new ParentBasedSampler(new BackgroundRootSampler());

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.ParentContext.TraceId == default && samplingParameters.Kind == ActivityKind.Client
            ? new SamplingResult(SamplingDecision.Drop)
            : new SamplingResult(SamplingDecision.RecordAndSample);
}
