using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using TaskFlow.ServiceDefaults.Health;
using TaskFlow.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The cross-cutting defaults every TaskFlow service starts with: telemetry, health, service discovery,
/// HTTP resilience and ProblemDetails errors. A service calls <see cref="AddServiceDefaults{TBuilder}"/>
/// on its builder and <see cref="MapDefaultEndpoints"/> right after <c>Build()</c>.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string MetricsEndpointPath = "/metrics";
    public const string LiveTag = "live";

    /// <summary>Extra ActivitySource names that services register (messaging, MongoDB, ...).</summary>
    public static readonly IReadOnlyList<string> TaskFlowActivitySources =
    [
        "TaskFlow.MongoDB",
        "TaskFlow.Messaging",
    ];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
        builder.AddIdempotencyStore();

        return builder;
    }

    /// <summary>
    /// Traces stay small: the Aspire client integrations' own per-command spans for Redis and RabbitMQ are off by
    /// default (TaskFlow.Messaging records publish and process spans itself; a Redis call is part of its request's
    /// span), slow or failed MongoDB commands only become spans (<c>MongoCommandTracer</c>, TaskFlow.Messaging.MongoDB),
    /// and background client calls start no trace (<see cref="BackgroundRootSampler"/>). Configuration overrides these
    /// defaults.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Aspire:StackExchange:Redis:DisableTracing"] = "true",
                ["Aspire:RabbitMQ:Client:DisableTracing"] = "true",
                // Library categories that log every probe or call at Information/Warning: the states they repeat are on
                // /health, the gateway's /health/services and the dashboard. Their errors still log (an Unhealthy check is
                // an Error record); configuration overrides these defaults.
                ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService"] = "Error",
                ["Logging:LogLevel:Yarp.ReverseProxy.Health"] = "Error",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                ["Logging:LogLevel:StackExchange.Redis"] = "Warning",
            },
        });

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("TaskFlow.*")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSampler(BackgroundRootSampler.Create(builder.Configuration))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource([.. TaskFlowActivitySources])
                .AddAspNetCoreInstrumentation(o =>
                    // Health probes and scrapes are noise in the trace view.
                    o.Filter = context => !IsOperationalPath(context.Request.Path))
                .AddHttpClientInstrumentation(o =>
                    // Probes of other services' health and scrapes are noise too (the gateway's active health checks).
                    o.FilterHttpRequestMessage = request => request.RequestUri is not { } uri || !IsOperationalPath(new PathString(uri.AbsolutePath))));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        // A dependency that hangs (a stopped database behind a retrying client) must not hang /health:
        // every check without its own timeout gets one, and a check that runs out reports its failure status.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Timeout == Timeout.InfiniteTimeSpan))
            {
                registration.Timeout = TimeSpan.FromSeconds(5);
            }
        });
        return builder;
    }

    /// <summary>
    /// Error handling first (so every later failure becomes problem+json), then /health (readiness with
    /// dependencies), /alive (liveness) and /metrics (Prometheus). When <c>Management:Port</c> is set,
    /// /alive and /metrics answer on that port only, so a public port exposes nothing internal.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<TaskFlow.ServiceDefaults.Requests.DeclaredBodyLimitMiddleware>();
        app.UseIdempotentRequestBuffering();

        var managementPort = app.Configuration.GetValue<int?>("Management:Port");
        if (managementPort is int port)
        {
            // Kestrel listens on the configured addresses plus the management port. Adding any address replaces the
            // configured ones (ASPNETCORE_URLS, or HTTP_PORTS in the .NET container images), so both are added here.
            // The management port binds where the public one does: loopback locally, every interface in a container
            // (so probes and scrapers reach it).
            var publicUrls = ConfiguredUrls(app.Configuration);
            foreach (var url in publicUrls)
            {
                app.Urls.Add(url);
            }

            var loopbackOnly = publicUrls.All(u => u.Contains("://localhost", StringComparison.OrdinalIgnoreCase) || u.Contains("://127.0.0.1", StringComparison.Ordinal));
            app.Urls.Add($"http://{(loopbackOnly ? "localhost" : "+")}:{port}");

            // The public port serves /health only; /alive and /metrics answer on the management port only, and the
            // management port serves nothing else. Decided by the local port the connection arrived on.
            app.Use((context, next) =>
            {
                var onManagementPort = context.Connection.LocalPort == port;
                var path = context.Request.Path;
                var managementOnly = path.StartsWithSegments(AlivenessEndpointPath) || path.StartsWithSegments(MetricsEndpointPath);
                var allowedOnManagement = managementOnly || path.StartsWithSegments(HealthEndpointPath);
                if (onManagementPort ? !allowedOnManagement : managementOnly)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        // A probe that gives up (a short client timeout while the machine is busy) must not turn the checks it started
        // into Unhealthy results logged as errors: they finish within their own timeouts, only the answer is dropped.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(HealthEndpointPath) || context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
            {
                context.RequestAborted = CancellationToken.None;
            }

            return next(context);
        });

        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).DisableHttpMetrics();

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).DisableHttpMetrics();

        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath).DisableHttpMetrics();

        return app;
    }

    private static string[] ConfiguredUrls(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length > 0)
        {
            return urls;
        }

        var ports = (configuration["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ports.Length > 0 ? [.. ports.Select(p => $"http://+:{p}")] : ["http://localhost:5000"];
    }

    private static bool IsOperationalPath(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) ||
        path.StartsWithSegments(AlivenessEndpointPath) ||
        path.StartsWithSegments(MetricsEndpointPath);
}
