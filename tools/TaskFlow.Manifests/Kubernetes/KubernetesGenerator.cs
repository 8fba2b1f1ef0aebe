using static TaskFlow.Manifests.Kubernetes.KubernetesObjects;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// Kubernetes objects for every resource of the Aspire manifest. A project (stateless service) gets a Deployment,
/// a Service, a PodDisruptionBudget, a HorizontalPodAutoscaler and, when it has external endpoints, an Ingress
/// with TLS; a container gets a StatefulSet (its volumes as claims, a headless Service) or a Deployment, a
/// Service and its metrics exporter. Every pod is locked down (<see cref="PodSecurity"/>), every connection is an
/// allowed NetworkPolicy edge (<see cref="NetworkPolicies"/>). Plus the parameters ConfigMap, the Secret's keys
/// (values stay out of the repository), a Namespace, the kustomization and its overlays.
/// </summary>
public sealed partial class KubernetesGenerator
{
    public const string SecretName = "taskflow-secrets";

    /// <summary>The application's kustomization (beside monitoring/ and overlays/: kustomize forbids a base that contains its overlays).</summary>
    public const string BaseFolder = "base";
    public const string ParametersConfigMap = "taskflow-parameters";
    public const string SecretsEnvFile = "secrets.env";
    public const string DerivedSecretsEnvFile = "secrets.derived.env";
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpoint = "http://otel-collector:4317";

    /// <summary>Trusting X-Forwarded-* from every peer: replaced by the gateway's own trusted proxies/networks.</summary>
    public const string ForwardedHeadersVariable = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";

    /// <summary>
    /// ServiceDefaults serves /alive and /metrics only on this port when the variable is set (the gateway): probes
    /// and scrapes go there.
    /// </summary>
    public const string ManagementPortVariable = "Management__Port";

    private readonly AspireManifest _manifest;
    private readonly DeploymentSettings _settings;
    private readonly List<string> _errors = [];
    private readonly ExpressionResolver _resolver;
    private readonly List<PolicyTarget> _targets = [];

    public KubernetesGenerator(AspireManifest manifest, DeploymentSettings settings)
    {
        _manifest = manifest;
        _settings = settings;
        _resolver = new ExpressionResolver(manifest, settings, _errors);
    }

    public IReadOnlyList<string> Errors => _errors;

    public SecretCatalog Secrets => _resolver.Secrets;

    /// <summary>Every workload the manifest's resources became, with what NetworkPolicies need to know.</summary>
    public IReadOnlyList<PolicyTarget> Targets => _targets;

    public IReadOnlySet<Edge> Edges => _resolver.Edges;

    /// <summary>Project resources: the stateless services (overlays scale them).</summary>
    public IEnumerable<string> Services => _manifest.OfKind(ResourceKind.Project).Select(p => p.Name);

    [GeneratedRegex(@"^\{(?<server>[A-Za-z0-9-]+)\.connectionString\};Database=(?<database>[A-Za-z0-9_]+)$")]
    private static partial Regex DatabaseConnectionString();

    [GeneratedRegex(@"^\{(?<resource>[A-Za-z0-9-]+)\.bindings\.(?<binding>[A-Za-z0-9-]+)\.targetPort\}$")]
    private static partial Regex OwnTargetPort();

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ShellVariable();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ImageTag();

    public IReadOnlyList<ManifestFile> Generate()
    {
        if (!ImageTag().IsMatch(_settings.ImageTag) || _settings.ImageTag == "latest")
        {
            _errors.Add($"image tag '{_settings.ImageTag}': give a version (--version or imageTag), never 'latest': a rollout must be pinned and reversible.");
        }

        var files = new List<ManifestFile>();
        foreach (var resource in _manifest.Resources)
        {
            _resolver.Owner = resource.Name;
            switch (resource.Kind)
            {
                case ResourceKind.Container:
                    files.Add(Container(resource));
                    break;
                case ResourceKind.Project:
                    files.Add(Project(resource));
                    break;
                case ResourceKind.Unsupported:
                    _errors.Add($"{resource.Name}: resource type '{resource.Type}' is not supported by the converter.");
                    break;
                default:
                    // Values, parameters and annotated strings have no object of their own: they are resolved where used.
                    break;
            }
        }

        _resolver.Owner = null;
        files.Insert(0, new ManifestFile("namespace.yaml",
            [new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = _settings.Namespace } }]));
        if (_resolver.Parameters.Count > 0)
        {
            files.Insert(1, new ManifestFile("parameters.yaml", [KubernetesObjects.ConfigMap(ParametersConfigMap, null, ServiceComponent,
                new JsonObject([.. _resolver.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]))],
                ["Non-secret AppHost parameters; edit the values here or patch them in an overlay."]));
        }

        files.Add(NetworkPolicies.Generate(_targets, _resolver.Edges, _settings));
        files.Add(KustomizationFiles.Base(files, Secrets, _settings, ForwardingConfigMaps()));
        files.Add(ManifestFile.Text("secrets.example.env", KustomizationFiles.SecretsExample(Secrets)));
        files.Add(ManifestFile.Text(".gitignore",
            $"# Secret values: never committed (see secrets.example.env).\n{SecretsEnvFile}\n{DerivedSecretsEnvFile}\n*.pem\n"));
        var based = files.Select(f => f with { Path = $"{BaseFolder}/{f.Path}" }).ToList();
        based.AddRange(KustomizationFiles.Overlays(_settings, Services, ForwardingConfigMaps()));
        return based;
    }

    /// <summary>The ConfigMaps (one per public-facing project) that hold the forwarded-headers trust list.</summary>
    private List<string> ForwardingConfigMaps() =>
        [.. _targets.Where(t => t.ExternalPorts.Count > 0 && t.Component == ServiceComponent).Select(t => ForwardingConfigMap(t.Name))];

    public static string ForwardingConfigMap(string service) => service + "-forwarding";

    private ManifestFile Project(AspireResource project)
    {
        var (served, _) = _resolver.EndpointsOf(project);
        if (!served.TryGetValue("http", out var http))
        {
            _errors.Add($"{project.Name}: a project needs an 'http' binding for its probes.");
            http = new ClusterEndpoint(project.Name, new AspireBinding("http", "http", "tcp", "http", null, false), Endpoints.DefaultProjectHttpPort);
        }

        var management = ManagementEndpoint(project, served);
        var env = new EnvironmentBuilder(SecretName, ParametersConfigMap);
        foreach (var (name, value) in project.Env)
        {
            if (name == ForwardedHeadersVariable)
            {
                env.Omitted.Add($"{name}: forwarded headers are trusted only from the configured proxies (Gateway__TrustedProxies/TrustedNetworks)");
                continue;
            }

            env.Add(name, _resolver.Resolve(value, $"{project.Name} env {name}"));
        }

        foreach (var (name, key) in _settings.SecretEnv.GetValueOrDefault(project.Name) ?? [])
        {
            Secrets.Add(new SecretKey(key, _settings.SecretFiles.TryGetValue(key, out var file)
                ? $"secret, read from {file.File}" : "secret (required)", null, null, file));
            env.Add(name, new ResolvedValue([new SecretPart(key)]));
        }

        AddIfMissing(env, "OTEL_SERVICE_NAME", project.Name);
        AddIfMissing(env, "OTEL_EXPORTER_OTLP_ENDPOINT", OtlpEndpoint);
        AddIfMissing(env, "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        if (management is not null && !env.Names.Contains("ASPNETCORE_URLS"))
        {
            // With a management port the app adds its own listen address, and ASP.NET Core then ignores HTTP_PORTS:
            // the public port must be given as a URL.
            env.Add("ASPNETCORE_URLS", ResolvedValue.Literal($"http://+:{http.Port}"));
        }

        var external = served.Values.Where(e => e.Binding.External && e != management && e.Binding.Transport == "http").ToList();
        var probePort = management?.Binding.Name ?? http.Binding.Name;
        var metrics = management ?? http;
        var container = new JsonObject
        {
            ["name"] = project.Name,
            ["image"] = $"{_settings.ImagePrefix.TrimEnd('/')}/{project.Name}:{_settings.ImageTag}",
            ["imagePullPolicy"] = "IfNotPresent",
            ["ports"] = ContainerPorts(Ports(served.Values)),
            ["env"] = env.Build(),
        };
        if (external.Count > 0)
        {
            container["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = ForwardingConfigMap(project.Name) } });
        }

        container["resources"] = Resources(_settings.LimitsFor(project.Name, isProject: true));
        container["startupProbe"] = HttpProbe(AlivePath, probePort, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 36);
        container["readinessProbe"] = HttpProbe(HealthPath, http.Binding.Name, periodSeconds: 10, timeoutSeconds: 8, failureThreshold: 3);
        container["livenessProbe"] = HttpProbe(AlivePath, probePort, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4);
        container["securityContext"] = PodSecurity.ContainerContext();

        var podSpec = PodSecurity.Pod(ImageProfile.DotNet.User, new JsonArray(container));
        podSpec["topologySpreadConstraints"] = TopologySpread(project.Name);
        PodSecurity.AddWritablePaths(podSpec, container, ImageProfile.DotNet.WritablePaths);

        var podAnnotations = new JsonObject
        {
            ["prometheus.io/scrape"] = "true",
            ["prometheus.io/port"] = Port(metrics.Port),
            ["prometheus.io/path"] = MetricsPath,
        };
        var replicas = _settings.Replicas.GetValueOrDefault(project.Name, 1);
        var deployment = Workload("Deployment", project.Name, ServiceComponent, replicas, podAnnotations, podSpec, null);
        // Replace pods one at a time and only once the new one is ready: a rollout never lowers capacity.
        deployment["spec"]!["strategy"] = new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxSurge"] = 1, ["maxUnavailable"] = 0 },
        };
        var documents = new List<JsonObject>
        {
            deployment,
            Service(project.Name, ServiceComponent, Ports(served.Values)),
            DisruptionBudget(project.Name),
            Autoscaler(project.Name, replicas, _settings.Autoscaling),
        };
        if (external.Count > 0)
        {
            documents.Add(Ingress(project.Name, external));
        }

        _targets.Add(new PolicyTarget(project.Name, ServiceComponent, [.. Ports(served.Values)],
            [.. Ports(external)], (metrics.Binding.Name, metrics.Port)));
        var header = new List<string> { $"{project.Name}: project {Path.GetFileName(project.Json["path"]?.ToString() ?? project.Name)}" };
        header.AddRange(env.Omitted.Select(o => "omitted env " + o));
        return new ManifestFile($"{project.Name}.yaml", documents, header);
    }

    private static void AddIfMissing(EnvironmentBuilder env, string name, string value)
    {
        if (!env.Names.Contains(name))
        {
            env.Add(name, ResolvedValue.Literal(value));
        }
    }

    /// <summary>The endpoint the project's <see cref="ManagementPortVariable"/> names, if it has one.</summary>
    private ClusterEndpoint? ManagementEndpoint(AspireResource project, IReadOnlyDictionary<string, ClusterEndpoint> served)
    {
        var variable = project.Env.FirstOrDefault(e => e.Key == ManagementPortVariable).Value;
        if (variable is null)
        {
            return null;
        }

        var match = OwnTargetPort().Match(variable);
        if (!match.Success || match.Groups["resource"].Value != project.Name || !served.TryGetValue(match.Groups["binding"].Value, out var endpoint))
        {
            _errors.Add($"{project.Name}: {ManagementPortVariable} must name one of its own bindings' targetPort, not '{variable}'.");
            return null;
        }

        return endpoint;
    }

    private static JsonObject Workload(string kind, string name, string component, int replicas, JsonObject? podAnnotations, JsonObject podSpec, JsonArray? claims)
    {
        var template = new JsonObject { ["labels"] = Labels(name, component) };
        if (podAnnotations is not null)
        {
            template["annotations"] = podAnnotations;
        }

        var spec = new JsonObject();
        if (kind == "StatefulSet")
        {
            spec["serviceName"] = HeadlessName(name);
        }

        spec["replicas"] = replicas;
        spec["selector"] = Selector(name);
        spec["template"] = new JsonObject { ["metadata"] = template, ["spec"] = podSpec };
        if (claims is not null)
        {
            spec["volumeClaimTemplates"] = claims;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = kind,
            ["metadata"] = Metadata(name, component),
            ["spec"] = spec,
        };
    }

    /// <summary>TLS at the ingress with a certificate cert-manager issues for the configured host.</summary>
    private JsonObject Ingress(string name, IEnumerable<ClusterEndpoint> endpoints)
    {
        var ingress = _settings.Ingress;
        var metadata = Metadata(name, ServiceComponent);
        metadata["annotations"] = new JsonObject { ["cert-manager.io/cluster-issuer"] = ingress.ClusterIssuer };
        return new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["ingressClassName"] = ingress.ClassName,
                ["tls"] = new JsonArray(new JsonObject { ["hosts"] = new JsonArray(ingress.Host), ["secretName"] = ingress.TlsSecret }),
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["host"] = ingress.Host,
                    ["http"] = new JsonObject
                    {
                        ["paths"] = new JsonArray([.. endpoints.Select(e => (JsonNode)new JsonObject
                        {
                            ["path"] = "/",
                            ["pathType"] = "Prefix",
                            ["backend"] = new JsonObject
                            {
                                ["service"] = new JsonObject { ["name"] = name, ["port"] = new JsonObject { ["name"] = e.Binding.Name } },
                            },
                        })]),
                    },
                }),
            },
        };
    }
}
