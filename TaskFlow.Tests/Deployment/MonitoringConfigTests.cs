using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TaskFlow.Manifests.Aspire;
using TaskFlow.Manifests.Yaml;

namespace TaskFlow.Tests.Deployment;

/// <summary>deploy/prometheus and deploy/grafana against the real services: every service scraped, every query on
/// a metric the services really expose.</summary>
[Collection(DeploymentCollection.Name)]
[Trait("Category", "Deployment")]
public sealed partial class MonitoringConfigTests(DeploymentFixture deployment, ServiceMetricsFixture metrics) : IClassFixture<ServiceMetricsFixture>
{
    /// <summary>Series Prometheus makes itself rather than scrapes.</summary>
    private static readonly HashSet<string> PrometheusSeries = ["up"];

    private static readonly HashSet<string> PromQlWords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan"];

    private IEnumerable<string> ServiceNames => deployment.Manifest.OfKind(ResourceKind.Project).Select(p => p.Name);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifier();

    [Fact]
    public void The_services_expose_the_opentelemetry_aspnetcore_histogram()
    {
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics.MetricNames);
        Assert.Contains("http_response_status_code=\"500\"", metrics.Scrape, StringComparison.Ordinal);
    }

    [Fact]
    public void The_local_prometheus_config_scrapes_the_targets_the_discovery_script_writes()
    {
        var config = ReadYaml("prometheus/prometheus.yml");
        var job = Assert.Single(config["scrape_configs"]!.AsArray())!;
        Assert.Equal("taskflow", job["job_name"]!.GetValue<string>());
        Assert.Equal("/metrics", job["metrics_path"]!.GetValue<string>());
        var files = Assert.Single(job["file_sd_configs"]!.AsArray())!["files"]!.AsArray().Select(f => f!.GetValue<string>());
        Assert.Equal(["targets/*.json"], files);
        Assert.Equal("alerts.yml", Assert.Single(config["rule_files"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public async Task The_local_discovery_script_lists_a_service_process_by_its_metrics_port_only()
    {
        // The probe app of ServiceMetricsFixture runs in this test process (TaskFlow.Tests): the script must find its
        // port through the process, keep it because /metrics answers with Prometheus text, and name it "tests".
        // The scrape is made large (as a long-running service's is, or this process's after the distributed tests):
        // a probe that stops reading early must still count the port.
        using var padding = new System.Diagnostics.Metrics.Meter("TaskFlow.Tests.Padding");
        var series = padding.CreateCounter<long>("taskflow_tests_padding");
        for (var i = 0; i < 3000; i++)
        {
            series.Add(1, new KeyValuePair<string, object?>("series", $"padding-series-{i:D5}"));
        }

        using (var scrape = new HttpClient())
        {
            // The exporter caches a scrape briefly: ask until the padding is in it.
            var body = "";
            for (var attempt = 0; attempt < 50 && body.Length <= 128 * 1024; attempt++)
            {
                await Task.Delay(attempt == 0 ? 0 : 200);
                body = await scrape.GetStringAsync(new Uri($"http://127.0.0.1:{metrics.Port}/metrics"));
            }

            Assert.True(body.Length > 128 * 1024, $"the scrape is {body.Length} bytes; it must exceed a pipe's buffer (64 KiB)");
        }

        var output = Path.Combine(Path.GetTempPath(), $"taskflow-targets-{Guid.NewGuid():N}.json");
        try
        {
            // The probes run at once and end with the slowest: the test runner's own port (vstest) never answers HTTP.
            var (exitCode, log) = await Processes.RunAsync(Path.Combine(DeploymentFixture.DeployRoot, "prometheus", "local-targets.sh"), ["--output", output, "--timeout", "15"]);
            Assert.True(exitCode == 0, log);

            var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var targets = JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsArray();
            var ours = targets.Where(t => t!["labels"]!["replica"]!.GetValue<string>() == pid).ToList();
            Assert.True(ours.Count == 1, $"expected one target for process {pid}; the script wrote {targets.ToJsonString()} ({log.Trim()})");
            var target = ours[0]!;
            Assert.Equal($"127.0.0.1:{metrics.Port}", Assert.Single(target["targets"]!.AsArray())!.GetValue<string>());
            Assert.Equal("tests", target["labels"]!["service"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void The_cluster_prometheus_config_discovers_annotated_pods_and_labels_them_by_service()
    {
        var config = ReadYaml("prometheus/prometheus-k8s.yml");
        var jobs = config["scrape_configs"]!.AsArray().ToDictionary(j => j!["job_name"]!.GetValue<string>(), j => j!);
        Assert.Equal(["monitoring", "taskflow", "taskflow-backing"], jobs.Keys.Order());
        Assert.Equal("alertmanager:9093", config["alerting"]!["alertmanagers"]![0]!["static_configs"]![0]!["targets"]![0]!.GetValue<string>());

        foreach (var (name, component) in new[] { ("taskflow", "service"), ("taskflow-backing", "backing-service"), ("monitoring", "monitoring") })
        {
            var job = jobs[name];
            Assert.Equal("pod", Assert.Single(job["kubernetes_sd_configs"]!.AsArray())!["role"]!.GetValue<string>());
            var relabel = job["relabel_configs"]!.AsArray();
            Assert.Contains(relabel, r => r!["action"]?.GetValue<string>() == "keep" && r["regex"]!.GetValue<string>() == component &&
                                          r["source_labels"]![0]!.GetValue<string>() == "__meta_kubernetes_pod_label_app_kubernetes_io_component");
            Assert.Contains(relabel, r => r!["action"]?.GetValue<string>() == "keep" &&
                                          r["source_labels"]![0]!.GetValue<string>() == "__meta_kubernetes_pod_annotation_prometheus_io_scrape");
            Assert.Contains(relabel, r => r!["target_label"]?.GetValue<string>() == "service" &&
                                          r["source_labels"]![0]!.GetValue<string>() == "__meta_kubernetes_pod_label_app_kubernetes_io_name");
        }

        // Every service's pods carry the annotations the discovery keeps and the label it names the service by.
        var annotated = deployment.Conversion.Files.SelectMany(f => f.Documents)
            .Where(d => d["kind"]!.GetValue<string>() == "Deployment" &&
                        d["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/component"]!.GetValue<string>() == "service" &&
                        d["spec"]!["template"]!["metadata"]!["annotations"]?["prometheus.io/scrape"]?.GetValue<string>() == "true")
            .Select(d => d["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal(ServiceNames.Order(), annotated.Order());
    }

    [Fact]
    public void PostgreSQL_Redis_and_RabbitMQ_expose_metrics_to_their_scrape_job()
    {
        var workloads = deployment.Conversion.Files.SelectMany(f => f.Documents)
            .Where(d => d["kind"]!.GetValue<string>() is "StatefulSet" or "Deployment" &&
                        d["metadata"]!["labels"]!["app.kubernetes.io/component"]!.GetValue<string>() == "backing-service")
            .ToDictionary(d => d["metadata"]!["name"]!.GetValue<string>());
        foreach (var (name, port) in new[] { ("postgres", 9187), ("redis", 9121), ("rabbitmq", 15692) })
        {
            var template = workloads[name]["spec"]!["template"]!;
            Assert.Equal("true", template["metadata"]!["annotations"]!["prometheus.io/scrape"]!.GetValue<string>());
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), template["metadata"]!["annotations"]!["prometheus.io/port"]!.GetValue<string>());
            Assert.Contains(template["spec"]!["containers"]!.AsArray().SelectMany(c => c!["ports"]!.AsArray()), p => p!["containerPort"]!.GetValue<int>() == port);
        }
    }

    [Fact]
    public void Dead_letter_and_retry_counters_are_exported_before_anything_fails()
    {
        // The fixture adds 0 to the plain counters only: these series exist because the library reports them itself.
        // Their value is whatever this test process has counted so far (other tests dead-letter on purpose); a fresh
        // counter's zeros are checked by Messaging_counters_report_every_known_reason_at_zero.
        Assert.Matches(new Regex(@"^taskflow_messaging_dead_lettered_total\{[^}]*reason=""handler""[^}]*\} \d+(\s|$)", RegexOptions.Multiline), metrics.Scrape);
        Assert.Matches(new Regex(@"^taskflow_messaging_dead_lettered_total\{[^}]*reason=""invalid""[^}]*\} \d+(\s|$)", RegexOptions.Multiline), metrics.Scrape);
        Assert.Matches(new Regex(@"^taskflow_messaging_retried_total(\{[^}]*\})? \d+(\s|$)", RegexOptions.Multiline), metrics.Scrape);
    }

    [Fact]
    public void Messaging_counters_report_every_known_reason_at_zero()
    {
        var name = "taskflow.test.zeroed." + Guid.NewGuid().ToString("N");
        _ = new TaskFlow.Messaging.Diagnostics.MessagingTelemetry.ZeroedCounter(name, "test", "reason", ["invalid", "handler"]);
        var seen = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => seen[tags[0].Value?.ToString() ?? ""] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(new Dictionary<string, long> { ["invalid"] = 0, ["handler"] = 0 }, seen);
    }

    [Fact]
    public void Alert_rules_cover_targets_down_5xx_ratio_p99_latency_dead_letters_and_event_lag_on_real_metrics()
    {
        var rules = ReadYaml("prometheus/alerts.yml")["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray())
            .ToDictionary(r => r!["alert"]!.GetValue<string>(), r => r!["expr"]!.GetValue<string>());

        Assert.Equal("up == 0", rules["TaskFlowTargetDown"]);
        Assert.Contains("http_response_status_code=~\"5..\"", rules["TaskFlowHigh5xxRate"], StringComparison.Ordinal);
        Assert.Contains("histogram_quantile(0.99", rules["TaskFlowHighLatencyP99"], StringComparison.Ordinal);
        Assert.Contains("increase(taskflow_messaging_dead_lettered_total", rules["TaskFlowMessagesDeadLettered"], StringComparison.Ordinal);
        Assert.Contains("rabbitmq_queue_messages_ready", rules["TaskFlowEventLag"], StringComparison.Ordinal);
        // Rules on the services' own metrics use only names the services really expose.
        Assert.All(rules.Where(r => r.Value.Contains("job=\"taskflow\"", StringComparison.Ordinal)), rule => AssertKnownMetrics(rule.Key, rule.Value));
    }

    [Fact]
    public void The_grafana_dashboard_queries_only_metrics_the_services_expose()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(DeploymentFixture.DeployRoot, "grafana", "dashboards", "taskflow-services.json")))!;
        var panels = dashboard["panels"]!.AsArray().Where(p => p!["type"]!.GetValue<string>() != "row").ToList();
        var expressions = panels.SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>()).ToList();

        Assert.NotEmpty(expressions);
        Assert.All(expressions, e => AssertKnownMetrics("dashboard", e));
        Assert.Contains(expressions, e => e.Contains("rate(http_server_request_duration_seconds_count", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("http_response_status_code=~\"5..\"", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.StartsWith("histogram_quantile(0.5,", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.StartsWith("histogram_quantile(0.95,", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("dotnet_gc_", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("taskflow_messaging_published_total", StringComparison.Ordinal));

        var variable = Assert.Single(dashboard["templating"]!["list"]!.AsArray())!;
        var variableMetric = Regex.Match(variable["definition"]!.GetValue<string>(), @"^label_values\((?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)");
        Assert.True(variableMetric.Success);
        AssertKnownMetrics("dashboard variable", variableMetric.Groups["metric"].Value);
        Assert.Equal(panels.Count, panels.Select(p => p!["id"]!.GetValue<int>()).Distinct().Count());
    }

    [Fact]
    public void Dashboards_use_the_provisioned_datasource()
    {
        var datasource = Assert.Single(ReadYaml("grafana/provisioning/datasources/prometheus.yml")["datasources"]!.AsArray())!;
        Assert.Equal("prometheus", datasource["type"]!.GetValue<string>());
        var uid = datasource["uid"]!.GetValue<string>();

        var provider = Assert.Single(ReadYaml("grafana/provisioning/dashboards/taskflow.yml")["providers"]!.AsArray())!;
        Assert.Equal("/etc/grafana/dashboards/taskflow", provider["options"]!["path"]!.GetValue<string>());

        foreach (var file in Directory.GetFiles(Path.Combine(DeploymentFixture.DeployRoot, "grafana", "dashboards"), "*.json"))
        {
            var uids = Descendants(JsonNode.Parse(File.ReadAllText(file))!)
                .OfType<JsonObject>()
                .Select(o => o["datasource"])
                .OfType<JsonObject>()
                .Select(d => d["uid"]!.GetValue<string>())
                .Distinct();
            Assert.Equal([uid], uids);
        }
    }

    private void AssertKnownMetrics(string where, string expression)
    {
        var text = StringLiteral().Replace(expression, "\"\"");
        text = LabelMatchers().Replace(text, "");
        text = RangeSelector().Replace(text, "");
        text = Grouping().Replace(text, "");
        var names = Identifier().Matches(text).Select(m => m.Value).Where(n => !PromQlWords.Contains(n)).ToList();

        Assert.True(names.Count > 0, $"{where}: no metric in '{expression}'.");
        var unknown = names.Where(n => !metrics.MetricNames.Contains(n) && !PrometheusSeries.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, $"{where}: {string.Join(", ", unknown)} is not exposed by the services (query '{expression}').");
    }

    private static JsonNode ReadYaml(string path) =>
        Assert.Single(YamlReader.ReadDocuments(File.ReadAllText(Path.Combine(DeploymentFixture.DeployRoot, path))))!;

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().SelectMany(Descendants))
        {
            yield return child;
        }
    }
}
