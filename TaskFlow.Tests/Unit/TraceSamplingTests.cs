using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TaskFlow.ServiceDefaults.Telemetry;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// Head sampling of ServiceDefaults (<c>Telemetry:TraceSampleRatio</c>): a share of the roots is traced, decided by the
/// trace id (so every service agrees), children follow their parent, background client calls never start a trace, and
/// a bad value stops the start instead of tracing everything or nothing silently.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TraceSamplingTests
{
    [Fact]
    public void A_ratio_keeps_about_that_share_of_roots_and_two_services_agree_on_each()
    {
        var tasks = BackgroundRootSampler.Create(0.25);
        var gateway = BackgroundRootSampler.Create(0.25);
        var sampled = 0;
        for (var i = 0; i < 4000; i++)
        {
            var traceId = ActivityTraceId.CreateRandom();
            var first = Decide(tasks, traceId, ActivityKind.Server);
            Assert.Equal(first, Decide(gateway, traceId, ActivityKind.Server));
            sampled += first ? 1 : 0;
        }

        Assert.InRange(sampled, 4000 * 0.20, 4000 * 0.30);
    }

    [Fact]
    public void With_ratio_zero_no_root_is_traced_but_a_sampled_parent_from_another_service_is_followed()
    {
        var sampler = BackgroundRootSampler.Create(0);
        Assert.False(Decide(sampler, ActivityTraceId.CreateRandom(), ActivityKind.Server));
        Assert.False(Decide(sampler, ActivityTraceId.CreateRandom(), ActivityKind.Internal));

        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var child = sampler.ShouldSample(new SamplingParameters(remote, remote.TraceId, "task.created process", ActivityKind.Consumer));
        Assert.Equal(SamplingDecision.RecordAndSample, child.Decision);

        var unsampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        Assert.Equal(SamplingDecision.Drop, BackgroundRootSampler.Create(1).ShouldSample(new SamplingParameters(unsampled, unsampled.TraceId, "POST /tasks", ActivityKind.Server)).Decision);
    }

    [Fact]
    public void Background_client_calls_start_no_trace_whatever_the_ratio()
    {
        Assert.False(Decide(BackgroundRootSampler.Create(1), ActivityTraceId.CreateRandom(), ActivityKind.Client));
        Assert.True(Decide(BackgroundRootSampler.Create(1), ActivityTraceId.CreateRandom(), ActivityKind.Server));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    [InlineData("NaN")]
    public void A_ratio_that_is_not_a_share_stops_the_start_with_the_key_in_the_message(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [BackgroundRootSampler.RatioKey] = value }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => BackgroundRootSampler.Create(configuration));
        Assert.Contains(BackgroundRootSampler.RatioKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void A_service_built_with_the_defaults_traces_its_requests_as_configured(string? ratio, bool traced)
    {
        var name = "TaskFlow.Tests.Sampling." + Guid.NewGuid().ToString("N");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = name, EnvironmentName = "Testing" });
        if (ratio is not null)
        {
            // A source, as an environment variable would be (a value set on the providers is lost when sources change).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [BackgroundRootSampler.RatioKey] = ratio });
        }

        builder.AddServiceDefaults();
        using var host = builder.Build();
        using var provider = host.Services.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource(name);

        using var request = source.StartActivity("GET /tasks/{id}", ActivityKind.Server);

        Assert.Equal(traced, request?.Recorded ?? false);
    }

    private static bool Decide(Sampler sampler, ActivityTraceId traceId, ActivityKind kind) =>
        sampler.ShouldSample(new SamplingParameters(default, traceId, "root", kind)).Decision == SamplingDecision.RecordAndSample;
}
