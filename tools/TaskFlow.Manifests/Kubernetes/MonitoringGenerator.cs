using System.Text.Json.Nodes;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>The hand-written monitoring configuration the cluster objects carry (deploy/prometheus, deploy/grafana).</summary>
public sealed record MonitoringSources(
    string PrometheusConfig,
    string AlertRules,
    string GrafanaDatasources,
    string GrafanaDashboardProviders,
    IReadOnlyDictionary<string, string> Dashboards)
{
    public const string PrometheusConfigPath = "prometheus/prometheus-k8s.yml";
    public const string AlertRulesPath = "prometheus/alerts.yml";
    public const string GrafanaDatasourcesPath = "grafana/provisioning/datasources/prometheus.yml";
    public const string GrafanaDashboardProvidersPath = "grafana/provisioning/dashboards/taskflow.yml";
    public const string DashboardsFolder = "grafana/dashboards";

    /// <param name="deployRoot">The deploy/ folder.</param>
    public static MonitoringSources Load(string deployRoot) => new(
        File.ReadAllText(Path.Combine(deployRoot, PrometheusConfigPath)),
        File.ReadAllText(Path.Combine(deployRoot, AlertRulesPath)),
        File.ReadAllText(Path.Combine(deployRoot, GrafanaDatasourcesPath)),
        File.ReadAllText(Path.Combine(deployRoot, GrafanaDashboardProvidersPath)),
        Directory.GetFiles(Path.Combine(deployRoot, DashboardsFolder), "*.json")
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal));
}

/// <summary>
/// deploy/k8s/monitoring: Prometheus (pod discovery in the namespace, allowed by a Role) and Grafana with the
/// provisioned datasource and dashboards, as a kustomization of its own next to the application's.
/// </summary>
public static class MonitoringGenerator
{
    public const string Folder = "monitoring";
    public const string PrometheusImage = "docker.io/prom/prometheus:v3.5.0";
    public const string GrafanaImage = "docker.io/grafana/grafana:12.1.0";
    public const string GrafanaSecret = "grafana-admin";
    public const string GrafanaSecretKey = "admin-password";
    public const string GrafanaEnvFile = "grafana.env";

    public static IReadOnlyList<ManifestFile> Generate(MonitoringSources sources, DeploymentSettings settings)
    {
        var prometheus = new ManifestFile($"{Folder}/prometheus.yaml",
        [
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ServiceAccount",
                ["metadata"] = Metadata("prometheus"),
            },
            new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "Role",
                ["metadata"] = Metadata("prometheus"),
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray(""),
                    ["resources"] = new JsonArray("pods", "services", "endpoints"),
                    ["verbs"] = new JsonArray("get", "list", "watch"),
                }),
            },
            new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "RoleBinding",
                ["metadata"] = Metadata("prometheus"),
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = "prometheus" },
                ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "prometheus" }),
            },
            ConfigMap("prometheus-config", "prometheus", new JsonObject
            {
                ["prometheus.yml"] = sources.PrometheusConfig,
                ["alerts.yml"] = sources.AlertRules,
            }),
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "PersistentVolumeClaim",
                ["metadata"] = Metadata("prometheus-data", "prometheus"),
                ["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["storage"] = settings.Storage.GetValueOrDefault("prometheus-data", "10Gi") },
                    },
                },
            },
            Deployment("prometheus", new JsonObject
            {
                ["serviceAccountName"] = "prometheus",
                ["securityContext"] = NonRoot(65534),
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "prometheus",
                    ["image"] = PrometheusImage,
                    ["args"] = new JsonArray(
                        "--config.file=/etc/prometheus/prometheus.yml",
                        "--storage.tsdb.path=/prometheus",
                        "--storage.tsdb.retention.time=15d"),
                    ["ports"] = Ports(9090),
                    ["readinessProbe"] = Probe("/-/ready"),
                    ["livenessProbe"] = Probe("/-/healthy"),
                    ["resources"] = Resources("100m", "256Mi", "1", "1Gi"),
                    ["volumeMounts"] = new JsonArray(
                        new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/prometheus", ["readOnly"] = true },
                        new JsonObject { ["name"] = "data", ["mountPath"] = "/prometheus" }),
                }),
                ["volumes"] = new JsonArray(
                    new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = "prometheus-config" } },
                    new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "prometheus-data" } }),
            }),
            Service("prometheus", 9090),
        ], ["Prometheus: discovers the pods annotated prometheus.io/scrape in its own namespace (deploy/prometheus/prometheus-k8s.yml)."]);

        var dashboards = new JsonObject(sources.Dashboards.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value)));
        var grafana = new ManifestFile($"{Folder}/grafana.yaml",
        [
            ConfigMap("grafana-datasources", "grafana", new JsonObject { ["prometheus.yml"] = sources.GrafanaDatasources }),
            ConfigMap("grafana-dashboard-providers", "grafana", new JsonObject { ["taskflow.yml"] = sources.GrafanaDashboardProviders }),
            ConfigMap("grafana-dashboards", "grafana", dashboards),
            Deployment("grafana", new JsonObject
            {
                ["securityContext"] = NonRoot(472),
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "grafana",
                    ["image"] = GrafanaImage,
                    ["ports"] = Ports(3000),
                    ["env"] = new JsonArray(
                        new JsonObject { ["name"] = "PROMETHEUS_URL", ["value"] = "http://prometheus:9090" },
                        new JsonObject
                        {
                            ["name"] = "GF_SECURITY_ADMIN_PASSWORD",
                            ["valueFrom"] = new JsonObject
                            {
                                ["secretKeyRef"] = new JsonObject { ["name"] = GrafanaSecret, ["key"] = GrafanaSecretKey },
                            },
                        }),
                    ["readinessProbe"] = Probe("/api/health"),
                    ["livenessProbe"] = Probe("/api/health"),
                    ["resources"] = Resources("50m", "128Mi", "500m", "512Mi"),
                    ["volumeMounts"] = new JsonArray(
                        new JsonObject { ["name"] = "datasources", ["mountPath"] = "/etc/grafana/provisioning/datasources", ["readOnly"] = true },
                        new JsonObject { ["name"] = "dashboard-providers", ["mountPath"] = "/etc/grafana/provisioning/dashboards", ["readOnly"] = true },
                        new JsonObject { ["name"] = "dashboards", ["mountPath"] = "/etc/grafana/dashboards/taskflow", ["readOnly"] = true }),
                }),
                ["volumes"] = new JsonArray(
                    new JsonObject { ["name"] = "datasources", ["configMap"] = new JsonObject { ["name"] = "grafana-datasources" } },
                    new JsonObject { ["name"] = "dashboard-providers", ["configMap"] = new JsonObject { ["name"] = "grafana-dashboard-providers" } },
                    new JsonObject { ["name"] = "dashboards", ["configMap"] = new JsonObject { ["name"] = "grafana-dashboards" } }),
            }),
            Service("grafana", 3000),
        ], ["Grafana: the Prometheus datasource and the TaskFlow dashboards (deploy/grafana), provisioned at start."]);

        var kustomization = new ManifestFile($"{Folder}/kustomization.yaml",
        [
            new JsonObject
            {
                ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
                ["kind"] = "Kustomization",
                ["namespace"] = settings.Namespace,
                ["resources"] = new JsonArray("prometheus.yaml", "grafana.yaml"),
                ["secretGenerator"] = new JsonArray(new JsonObject
                {
                    ["name"] = GrafanaSecret,
                    ["envs"] = new JsonArray(GrafanaEnvFile),
                }),
            },
        ], ["kubectl apply -k deploy/k8s/monitoring   (after deploy/k8s; needs grafana.env, see grafana.example.env)"]);

        return
        [
            kustomization,
            prometheus,
            grafana,
            ManifestFile.Text($"{Folder}/grafana.example.env",
                "# Copy to grafana.env (git-ignored): the Grafana admin password, read by the secretGenerator 'grafana-admin'.\n" +
                $"{GrafanaSecretKey}=\n"),
            ManifestFile.Text($"{Folder}/.gitignore", $"{GrafanaEnvFile}\n"),
        ];
    }

    private static JsonObject Metadata(string name, string? app = null) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject
        {
            [KubernetesGenerator.NameLabel] = app ?? name,
            [KubernetesGenerator.ComponentLabel] = "monitoring",
            [KubernetesGenerator.PartOfLabel] = "taskflow",
        },
    };

    private static JsonObject ConfigMap(string name, string app, JsonObject data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(name, app),
        ["data"] = data,
    };

    private static JsonObject Deployment(string name, JsonObject podSpec) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Metadata(name),
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            // One writer per volume: the old pod stops before the new one mounts it.
            ["strategy"] = new JsonObject { ["type"] = "Recreate" },
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [KubernetesGenerator.NameLabel] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = Metadata(name)["labels"]!.DeepClone() },
                ["spec"] = podSpec,
            },
        },
    };

    private static JsonObject Service(string name, int port) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata(name),
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = new JsonObject { [KubernetesGenerator.NameLabel] = name },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["targetPort"] = "http", ["protocol"] = "TCP" }),
        },
    };

    private static JsonArray Ports(int port) =>
        [new JsonObject { ["name"] = "http", ["containerPort"] = port, ["protocol"] = "TCP" }];

    private static JsonObject Probe(string path) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "http" },
        ["periodSeconds"] = 15,
        ["timeoutSeconds"] = 5,
    };

    private static JsonObject NonRoot(int user) => new()
    {
        ["runAsNonRoot"] = true,
        ["runAsUser"] = user,
        ["runAsGroup"] = user,
        ["fsGroup"] = user,
    };

    private static JsonObject Resources(string cpu, string memory, string cpuLimit, string memoryLimit) => new()
    {
        ["requests"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory },
        ["limits"] = new JsonObject { ["cpu"] = cpuLimit, ["memory"] = memoryLimit },
    };
}
