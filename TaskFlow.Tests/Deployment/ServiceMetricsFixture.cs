using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.Tests.Deployment;

/// <summary>
/// The metric names a TaskFlow service really exposes: a minimal app with the services' own ServiceDefaults
/// (OpenTelemetry ASP.NET Core, HTTP client, runtime and TaskFlow.* meters, Prometheus exporter) on a loopback port,
/// after a few requests (2xx and 5xx), a garbage collection, an exception and one measurement on each messaging
/// counter.
/// </summary>
public sealed partial class ServiceMetricsFixture : IAsyncLifetime
{
    private const string MessagingMeter = "TaskFlow.Messaging";
    private static readonly string[] ExpectedSoon =
        ["http_server_request_duration_seconds_count", "dotnet_exceptions_total", "dotnet_gc_collections_total", "taskflow_messaging_"];

    private WebApplication? _app;

    public IReadOnlySet<string> MetricNames { get; private set; } = new HashSet<string>();

    public string Scrape { get; private set; } = "";

    /// <summary>The loopback port the probe app listens on (and serves /metrics at).</summary>
    public int Port { get; private set; }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{| )", RegexOptions.Multiline)]
    private static partial Regex SampleName();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ApplicationName = "metrics-probe" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGet("/ok", () => "ok");
        _app.MapGet("/fail", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        await client.GetAsync(new Uri("/ok", UriKind.Relative));
        await client.GetAsync(new Uri("/fail", UriKind.Relative));
        GC.Collect();
        ThrowOnce();
        MeasureMessagingCounters();

        // The exporter caches a scrape briefly: ask until what just happened is in it.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            Scrape = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if (ExpectedSoon.All(name => Scrape.Contains(name, StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(200);
        }

        MetricNames = SampleName().Matches(Scrape).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>The runtime counts exceptions when they are thrown, handled or not.</summary>
    private static void ThrowOnce()
    {
        try
        {
            throw new InvalidOperationException("Counted by dotnet.exceptions.");
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// Counters are exported once they have a measurement: add zero to every instrument of the messaging meter (its
    /// instruments are created by the library's telemetry class, so that class is initialised first).
    /// </summary>
    private static void MeasureMessagingCounters()
    {
        RuntimeHelpers.RunClassConstructor(typeof(TaskFlow.Messaging.Diagnostics.MessagingTelemetry).TypeHandle);

        using var listener = new MeterListener();
        var counters = new List<Counter<long>>();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == MessagingMeter && instrument is Counter<long> counter)
            {
                counters.Add(counter);
            }
        };
        listener.Start();
        Assert.NotEmpty(counters);
        foreach (var counter in counters)
        {
            counter.Add(0);
        }
    }
}
