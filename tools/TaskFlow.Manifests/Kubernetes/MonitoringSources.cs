namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// The hand-written monitoring configuration the cluster objects carry: deploy/prometheus, deploy/alertmanager,
/// deploy/otel, deploy/grafana.
/// </summary>
public sealed record MonitoringSources(
    string PrometheusConfig,
    string AlertRules,
    string AlertmanagerConfig,
    string CollectorConfig,
    string GrafanaDatasources,
    string GrafanaDashboardProviders,
    IReadOnlyDictionary<string, string> Dashboards)
{
    public const string PrometheusConfigPath = "prometheus/prometheus-k8s.yml";
    public const string AlertRulesPath = "prometheus/alerts.yml";
    public const string AlertmanagerConfigPath = "alertmanager/alertmanager.yml";
    public const string CollectorConfigPath = "otel/collector.yaml";
    public const string GrafanaDatasourcesPath = "grafana/provisioning/datasources/prometheus.yml";
    public const string GrafanaDashboardProvidersPath = "grafana/provisioning/dashboards/taskflow.yml";
    public const string DashboardsFolder = "grafana/dashboards";

    /// <summary>The dashboard every per-service board is made from (its <c>$service</c> variable fixed to one service).</summary>
    public const string ServicesDashboard = "taskflow-services.json";

    /// <param name="deployRoot">The deploy/ folder.</param>
    public static MonitoringSources Load(string deployRoot)
    {
        string Read(string path) => File.ReadAllText(Path.Combine(deployRoot, path));
        return new(
            Read(PrometheusConfigPath),
            Read(AlertRulesPath),
            Read(AlertmanagerConfigPath),
            Read(CollectorConfigPath),
            Read(GrafanaDatasourcesPath),
            Read(GrafanaDashboardProvidersPath),
            Directory.GetFiles(Path.Combine(deployRoot, DashboardsFolder), "*.json")
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal));
    }
}
