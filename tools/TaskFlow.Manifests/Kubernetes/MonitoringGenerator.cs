using static TaskFlow.Manifests.Kubernetes.KubernetesObjects;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// deploy/k8s/monitoring, a kustomization of its own next to the application's: Prometheus (pod discovery in the
/// namespace through an explicitly mounted token, rules reloaded when their ConfigMap changes), Alertmanager,
/// the OpenTelemetry collector every service sends OTLP to, Grafana with the provisioned datasource, a board per
/// service and the event-pipeline board, and the NetworkPolicies these need under the namespace's default deny.
/// </summary>
public static class MonitoringGenerator
{
    public const string Folder = "monitoring";
    public const string PrometheusImage = "docker.io/prom/prometheus:v3.5.0";
    public const string AlertmanagerImage = "docker.io/prom/alertmanager:v0.28.1";
    public const string GrafanaImage = "docker.io/grafana/grafana:12.1.0";
    public const string CollectorImage = "docker.io/otel/opentelemetry-collector-contrib:0.131.0";
    public const string ReloaderImage = "ghcr.io/jimmidyson/configmap-reload:v0.14.0";
    public const string GrafanaSecret = "grafana-admin";
    public const string GrafanaSecretKey = "admin-password";
    public const string GrafanaEnvFile = "grafana.env";
    public const string TokenPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static IReadOnlyList<ManifestFile> Generate(MonitoringSources sources, DeploymentSettings settings, IEnumerable<string> services)
    {
        var prometheus = new ManifestFile($"{Folder}/prometheus.yaml",
        [
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = Metadata("prometheus", MonitoringComponent) },
            new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "Role",
                ["metadata"] = Metadata("prometheus", MonitoringComponent),
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
                ["metadata"] = Metadata("prometheus", MonitoringComponent),
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
                ["metadata"] = Metadata("prometheus-data", MonitoringComponent, "prometheus"),
                ["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["storage"] = settings.Storage.GetValueOrDefault("prometheus-data", "10Gi") },
                    },
                },
            },
            Deployment("prometheus", 9090, PrometheusPod()),
            MonitoringService("prometheus", ("http", 9090)),
        ], ["Prometheus: discovers annotated pods in its own namespace (deploy/prometheus/prometheus-k8s.yml), alerts to Alertmanager."]);

        var alertmanager = new ManifestFile($"{Folder}/alertmanager.yaml",
        [
            ConfigMap("alertmanager-config", "alertmanager", new JsonObject { ["alertmanager.yml"] = sources.AlertmanagerConfig }),
            Deployment("alertmanager", 9093, ReloadedPod("alertmanager", AlertmanagerImage, 9093, "/etc/alertmanager", "alertmanager-config",
                ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"], "/-/ready", "/-/healthy",
                Resources(new ResourceLimits(new("20m", "64Mi"), new("200m", "256Mi"))))),
            MonitoringService("alertmanager", ("http", 9093)),
        ], ["Alertmanager: routes Prometheus' alerts (deploy/alertmanager/alertmanager.yml; receivers are set per installation)."]);

        var collector = new ManifestFile($"{Folder}/otel-collector.yaml",
        [
            ConfigMap("otel-collector-config", NetworkPolicies.Collector, new JsonObject { ["collector.yaml"] = sources.CollectorConfig }),
            Deployment(NetworkPolicies.Collector, 8888, CollectorPod()),
            MonitoringService(NetworkPolicies.Collector, ("otlp-grpc", 4317), ("otlp-http", 4318), ("metrics", 8888)),
        ], ["OpenTelemetry collector: receives OTLP (traces, metrics, logs) from every service (deploy/otel/collector.yaml)."]);

        var dashboards = new JsonObject(sources.Dashboards.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value)));
        if (sources.Dashboards.TryGetValue(MonitoringSources.ServicesDashboard, out var template))
        {
            foreach (var service in services)
            {
                dashboards[$"taskflow-service-{service}.json"] = ServiceDashboard(template, service);
            }
        }

        var grafana = new ManifestFile($"{Folder}/grafana.yaml",
        [
            ConfigMap("grafana-datasources", "grafana", new JsonObject { ["prometheus.yml"] = sources.GrafanaDatasources }),
            ConfigMap("grafana-dashboard-providers", "grafana", new JsonObject { ["taskflow.yml"] = sources.GrafanaDashboardProviders }),
            ConfigMap("grafana-dashboards", "grafana", dashboards),
            Deployment("grafana", null, GrafanaPod()),
            MonitoringService("grafana", ("http", 3000)),
        ], ["Grafana: the Prometheus datasource, a dashboard per service and the event pipeline (deploy/grafana), provisioned at start."]);

        var policies = new ManifestFile($"{Folder}/network-policies.yaml",
        [
            NetworkPolicies.Policy("prometheus", Selector("prometheus"),
                ingress: [NetworkPolicies.FromPods("grafana", [9090])],
                egress:
                [
                    // Scrapes: every pod of the namespace (each rule's metrics port admits Prometheus).
                    new JsonObject { ["to"] = new JsonArray(new JsonObject { ["podSelector"] = new JsonObject() }) },
                    // Pod discovery: the Kubernetes API server, wherever the cluster puts it.
                    new JsonObject { ["ports"] = NetworkPolicies.PortRules([443, 6443]) },
                ]),
            NetworkPolicies.Policy("alertmanager", Selector("alertmanager"),
                ingress: [NetworkPolicies.FromPods("prometheus", [9093])],
                // Receivers (chat and incident webhooks, SMTP) are outside the cluster.
                egress: [new JsonObject { ["ports"] = NetworkPolicies.PortRules([443, 587]) }]),
            NetworkPolicies.Policy(NetworkPolicies.Collector, Selector(NetworkPolicies.Collector),
                ingress:
                [
                    new JsonObject
                    {
                        ["from"] = new JsonArray(new JsonObject
                        {
                            ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ComponentLabel] = ServiceComponent } },
                        }),
                        ["ports"] = NetworkPolicies.PortRules([4317, 4318]),
                    },
                    NetworkPolicies.FromPods("prometheus", [8888]),
                ],
                // A tracing backend (Tempo, Jaeger, a vendor's OTLP endpoint) added to collector.yaml.
                egress: [new JsonObject { ["ports"] = NetworkPolicies.PortRules([443, 4317, 4318]) }]),
            NetworkPolicies.Policy("grafana", Selector("grafana"),
                ingress:
                [
                    new JsonObject
                    {
                        ["from"] = new JsonArray(new JsonObject
                        {
                            ["namespaceSelector"] = new JsonObject
                            {
                                ["matchLabels"] = new JsonObject { [NetworkPolicies.NamespaceNameLabel] = settings.Ingress.ControllerNamespace },
                            },
                        }),
                        ["ports"] = NetworkPolicies.PortRules([3000]),
                    },
                ],
                egress: [NetworkPolicies.ToPods("prometheus", [9090])]),
        ], ["NetworkPolicies of the monitoring pods (the namespace denies everything else: deploy/k8s/network-policies.yaml)."]);

        var kustomization = new ManifestFile($"{Folder}/kustomization.yaml",
        [
            new JsonObject
            {
                ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
                ["kind"] = "Kustomization",
                ["namespace"] = settings.Namespace,
                ["resources"] = new JsonArray("prometheus.yaml", "alertmanager.yaml", "otel-collector.yaml", "grafana.yaml", "network-policies.yaml"),
                ["secretGenerator"] = new JsonArray(new JsonObject
                {
                    ["name"] = GrafanaSecret,
                    ["envs"] = new JsonArray(GrafanaEnvFile),
                }),
            },
        ], ["Applied with the application by deploy/k8s/overlays/<env>; needs grafana.env (see grafana.example.env)."]);

        return
        [
            kustomization,
            prometheus,
            alertmanager,
            collector,
            grafana,
            policies,
            ManifestFile.Text($"{Folder}/grafana.example.env",
                "# Copy to grafana.env (git-ignored): the Grafana admin password, read by the secretGenerator 'grafana-admin'.\n" +
                $"{GrafanaSecretKey}=\n"),
            ManifestFile.Text($"{Folder}/.gitignore", $"{GrafanaEnvFile}\n"),
        ];
    }

    /// <summary>The services board with its <c>$service</c> variable fixed to one service.</summary>
    public static string ServiceDashboard(string template, string service)
    {
        var board = JsonNode.Parse(template)!.AsObject();
        board["uid"] = $"taskflow-service-{service}";
        board["title"] = $"TaskFlow service: {service}";
        board["description"] = $"Requests, errors, latency, .NET runtime and messaging of {service} (every replica).";
        board["templating"] = new JsonObject { ["list"] = new JsonArray() };
        var text = board.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return text.Replace("service=~\\\"$service\\\"", $"service=\\\"{service}\\\"", StringComparison.Ordinal) + "\n";
    }

    private static JsonObject PrometheusPod()
    {
        var pod = ReloadedPod("prometheus", PrometheusImage, 9090, "/etc/prometheus", "prometheus-config",
            [
                "--config.file=/etc/prometheus/prometheus.yml",
                "--storage.tsdb.path=/prometheus",
                "--storage.tsdb.retention.time=15d",
                // The reloader sidecar POSTs /-/reload when the ConfigMap (scrape config, alert rules) changes.
                "--web.enable-lifecycle",
            ],
            "/-/ready", "/-/healthy", Resources(new ResourceLimits(new("100m", "256Mi"), new("1", "1Gi"))));
        pod["serviceAccountName"] = "prometheus";
        var container = pod["containers"]![0]!.AsObject();
        PodSecurity.Add(container, "volumeMounts", new JsonObject { ["name"] = "data", ["mountPath"] = "/prometheus" });
        PodSecurity.Add(container, "volumeMounts", new JsonObject { ["name"] = "kube-api-access", ["mountPath"] = TokenPath, ["readOnly"] = true });
        PodSecurity.Add(pod, "volumes", new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "prometheus-data" } });
        // Pod discovery needs an API token: mounted explicitly (short-lived, audience-bound), the only pod that has one.
        PodSecurity.Add(pod, "volumes", new JsonObject
        {
            ["name"] = "kube-api-access",
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray(
                    new JsonObject { ["serviceAccountToken"] = new JsonObject { ["path"] = "token", ["expirationSeconds"] = 3607 } },
                    new JsonObject
                    {
                        ["configMap"] = new JsonObject
                        {
                            ["name"] = "kube-root-ca.crt",
                            ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                        },
                    },
                    new JsonObject
                    {
                        ["downwardAPI"] = new JsonObject
                        {
                            ["items"] = new JsonArray(new JsonObject
                            {
                                ["path"] = "namespace",
                                ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.namespace" },
                            }),
                        },
                    }),
            },
        });
        return pod;
    }

    /// <summary>A server whose configuration is a ConfigMap, and a sidecar that makes it reload when the ConfigMap changes.</summary>
    private static JsonObject ReloadedPod(string name, string image, int port, string configPath, string configMap, string[] args,
        string ready, string healthy, JsonObject resources)
    {
        var profile = ImageProfile.For(image)!;
        var server = new JsonObject
        {
            ["name"] = name,
            ["image"] = image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a)]),
            ["ports"] = ContainerPorts([("http", port)]),
            ["readinessProbe"] = HttpProbe(ready, "http", periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3),
            ["livenessProbe"] = HttpProbe(healthy, "http", periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4),
            ["resources"] = resources,
            ["securityContext"] = PodSecurity.ContainerContext(),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "config", ["mountPath"] = configPath, ["readOnly"] = true }),
        };
        var reloader = new JsonObject
        {
            ["name"] = "config-reloader",
            ["image"] = ReloaderImage,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = new JsonArray($"--volume-dir={configPath}", $"--webhook-url=http://localhost:{port}/-/reload"),
            ["resources"] = Resources(new ResourceLimits(new("5m", "16Mi"), new("50m", "64Mi"))),
            ["securityContext"] = PodSecurity.ContainerContext(ImageProfile.For(ReloaderImage)!.User),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "config", ["mountPath"] = configPath, ["readOnly"] = true }),
        };
        var pod = PodSecurity.Pod(profile.User, new JsonArray(server, reloader));
        pod["volumes"] = new JsonArray(new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = configMap } });
        PodSecurity.AddWritablePaths(pod, server, profile.WritablePaths);
        return pod;
    }

    private static JsonObject CollectorPod()
    {
        var profile = ImageProfile.For(CollectorImage)!;
        var container = new JsonObject
        {
            ["name"] = NetworkPolicies.Collector,
            ["image"] = CollectorImage,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = new JsonArray("--config=/etc/otelcol/collector.yaml"),
            ["ports"] = ContainerPorts([("otlp-grpc", 4317), ("otlp-http", 4318), ("metrics", 8888), ("health", 13133)]),
            ["readinessProbe"] = HttpProbe("/", "health", periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3),
            ["livenessProbe"] = HttpProbe("/", "health", periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4),
            ["resources"] = Resources(new ResourceLimits(new("50m", "128Mi"), new("1", "512Mi"))),
            ["securityContext"] = PodSecurity.ContainerContext(),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/otelcol", ["readOnly"] = true }),
        };
        var pod = PodSecurity.Pod(profile.User, new JsonArray(container));
        pod["volumes"] = new JsonArray(new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = "otel-collector-config" } });
        PodSecurity.AddWritablePaths(pod, container, profile.WritablePaths);
        return pod;
    }

    private static JsonObject GrafanaPod()
    {
        var profile = ImageProfile.For(GrafanaImage)!;
        var container = new JsonObject
        {
            ["name"] = "grafana",
            ["image"] = GrafanaImage,
            ["imagePullPolicy"] = "IfNotPresent",
            ["ports"] = ContainerPorts([("http", 3000)]),
            ["env"] = new JsonArray(
                new JsonObject { ["name"] = "PROMETHEUS_URL", ["value"] = "http://prometheus:9090" },
                new JsonObject
                {
                    ["name"] = "GF_SECURITY_ADMIN_PASSWORD",
                    ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = GrafanaSecret, ["key"] = GrafanaSecretKey } },
                }),
            ["readinessProbe"] = HttpProbe("/api/health", "http", periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3),
            ["livenessProbe"] = HttpProbe("/api/health", "http", periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4),
            ["resources"] = Resources(new ResourceLimits(new("50m", "128Mi"), new("500m", "512Mi"))),
            ["securityContext"] = PodSecurity.ContainerContext(),
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "datasources", ["mountPath"] = "/etc/grafana/provisioning/datasources", ["readOnly"] = true },
                new JsonObject { ["name"] = "dashboard-providers", ["mountPath"] = "/etc/grafana/provisioning/dashboards", ["readOnly"] = true },
                new JsonObject { ["name"] = "dashboards", ["mountPath"] = "/etc/grafana/dashboards/taskflow", ["readOnly"] = true }),
        };
        var pod = PodSecurity.Pod(profile.User, new JsonArray(container));
        pod["volumes"] = new JsonArray(
            new JsonObject { ["name"] = "datasources", ["configMap"] = new JsonObject { ["name"] = "grafana-datasources" } },
            new JsonObject { ["name"] = "dashboard-providers", ["configMap"] = new JsonObject { ["name"] = "grafana-dashboard-providers" } },
            new JsonObject { ["name"] = "dashboards", ["configMap"] = new JsonObject { ["name"] = "grafana-dashboards" } });
        PodSecurity.AddWritablePaths(pod, container, profile.WritablePaths);
        return pod;
    }

    private static JsonObject ConfigMap(string name, string app, JsonObject data) =>
        KubernetesObjects.ConfigMap(name, app, MonitoringComponent, data);

    /// <param name="metricsPort">Annotated for the monitoring scrape job, when the server exposes its own metrics.</param>
    private static JsonObject Deployment(string name, int? metricsPort, JsonObject podSpec)
    {
        var template = new JsonObject { ["labels"] = Labels(name, MonitoringComponent) };
        if (metricsPort is not null)
        {
            template["annotations"] = new JsonObject
            {
                ["prometheus.io/scrape"] = "true",
                ["prometheus.io/port"] = Port(metricsPort.Value),
                ["prometheus.io/path"] = "/metrics",
            };
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = Metadata(name, MonitoringComponent),
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                // One writer per volume: the old pod stops before the new one mounts it.
                ["strategy"] = new JsonObject { ["type"] = "Recreate" },
                ["selector"] = Selector(name),
                ["template"] = new JsonObject { ["metadata"] = template, ["spec"] = podSpec },
            },
        };
    }

    private static JsonObject MonitoringService(string name, params (string Name, int Port)[] ports) =>
        Service(name, MonitoringComponent, ports);
}
