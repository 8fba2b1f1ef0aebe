using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TaskFlow.Manifests.Aspire;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// Kubernetes objects for every resource of the Aspire manifest: a Deployment and a Service per project, a
/// StatefulSet (with its volumes as claims) or Deployment and a Service per container, the parameters ConfigMap,
/// the Secret's keys (values stay out of the repository: the kustomization generates the Secret from secrets.env),
/// a Namespace and the kustomization.
/// </summary>
public sealed partial class KubernetesGenerator
{
    public const string SecretName = "taskflow-secrets";
    public const string ParametersConfigMap = "taskflow-parameters";
    public const string SecretsEnvFile = "secrets.env";
    public const string NameLabel = "app.kubernetes.io/name";
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// ServiceDefaults serves /alive and /metrics only on this port when the variable is set (the gateway): probes
    /// and scrapes go there.
    /// </summary>
    public const string ManagementPortVariable = "Management__Port";

    /// <summary>The non-root user of the .NET container images (<c>app</c>), numeric so runAsNonRoot can verify it.</summary>
    public const int DotNetImageUser = 1654;

    private readonly AspireManifest _manifest;
    private readonly DeploymentSettings _settings;
    private readonly List<string> _errors = [];
    private readonly ExpressionResolver _resolver;

    public KubernetesGenerator(AspireManifest manifest, DeploymentSettings settings)
    {
        _manifest = manifest;
        _settings = settings;
        _resolver = new ExpressionResolver(manifest, settings, _errors);
    }

    public IReadOnlyList<string> Errors => _errors;

    public SecretCatalog Secrets => _resolver.Secrets;

    [GeneratedRegex(@"^\{(?<server>[A-Za-z0-9-]+)\.connectionString\};Database=(?<database>[A-Za-z0-9_]+)$")]
    private static partial Regex DatabaseConnectionString();

    [GeneratedRegex(@"^\{(?<resource>[A-Za-z0-9-]+)\.bindings\.(?<binding>[A-Za-z0-9-]+)\.targetPort\}$")]
    private static partial Regex OwnTargetPort();

    public IReadOnlyList<ManifestFile> Generate()
    {
        var files = new List<ManifestFile>();
        foreach (var resource in _manifest.Resources)
        {
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

        var namespaceFile = new ManifestFile("namespace.yaml",
            [new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = _settings.Namespace } }]);
        files.Insert(0, namespaceFile);
        if (_resolver.Parameters.Count > 0)
        {
            files.Insert(1, new ManifestFile("parameters.yaml", [ConfigMap(ParametersConfigMap, null,
                new JsonObject([.. _resolver.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]))],
                ["Non-secret AppHost parameters; edit the values here or patch them in an overlay."]));
        }

        files.Add(Kustomization(files));
        files.Add(ManifestFile.Text("secrets.example.env", SecretsExample()));
        files.Add(ManifestFile.Text(".gitignore", $"# Secret values: never committed (see secrets.example.env).\n{SecretsEnvFile}\n*.pem\n"));
        return files;
    }

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
            env.Add(name, _resolver.Resolve(value, $"{project.Name} env {name}"));
        }

        if (!env.Names.Contains("OTEL_SERVICE_NAME"))
        {
            env.Add("OTEL_SERVICE_NAME", ResolvedValue.Literal(project.Name));
        }

        if (management is not null && !env.Names.Contains("ASPNETCORE_URLS"))
        {
            // With a management port the app adds its own listen address, and ASP.NET Core then ignores HTTP_PORTS:
            // the public port must be given as a URL.
            env.Add("ASPNETCORE_URLS", ResolvedValue.Literal($"http://+:{http.Port}"));
        }

        var probePort = management?.Binding.Name ?? http.Binding.Name;
        var container = new JsonObject
        {
            ["name"] = project.Name,
            ["image"] = $"{_settings.ImagePrefix.TrimEnd('/')}/{project.Name}:{_settings.ImageTag}",
            ["imagePullPolicy"] = "IfNotPresent",
            ["ports"] = ContainerPorts(served.Values),
            ["env"] = env.Build(),
            ["resources"] = Resources(project.Name, isProject: true),
            ["startupProbe"] = HttpProbe(AlivePath, probePort, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 36),
            ["readinessProbe"] = HttpProbe(HealthPath, http.Binding.Name, periodSeconds: 10, timeoutSeconds: 8, failureThreshold: 3),
            ["livenessProbe"] = HttpProbe(AlivePath, probePort, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            },
        };

        var podAnnotations = new JsonObject
        {
            ["prometheus.io/scrape"] = "true",
            ["prometheus.io/port"] = Port((management ?? http).Port),
            ["prometheus.io/path"] = MetricsPath,
        };
        var podSpec = new JsonObject
        {
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = DotNetImageUser,
                ["runAsGroup"] = DotNetImageUser,
            },
            ["containers"] = new JsonArray(container),
        };

        var documents = new List<JsonObject>
        {
            Workload("Deployment", project.Name, "service", _settings.Replicas.GetValueOrDefault(project.Name, 1), podAnnotations, podSpec, null),
            Service(project.Name, "service", served.Values),
        };
        var external = served.Values.Where(e => e.Binding.External && e != management && e.Binding.Transport == "http").ToList();
        if (external.Count > 0)
        {
            documents.Add(Ingress(project.Name, external));
        }

        var header = new List<string> { $"{project.Name}: project {Path.GetFileName(project.Json["path"]?.ToString() ?? project.Name)}" };
        header.AddRange(env.Omitted.Select(o => "omitted env " + o));
        return new ManifestFile($"{project.Name}.yaml", documents, header);
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

    private ManifestFile Container(AspireResource container)
    {
        var documents = new List<JsonObject>();
        if (container.Image is not { Length: > 0 } image)
        {
            _errors.Add($"{container.Name}: a container needs an image (build it and reference the image; builds are not supported).");
            image = "";
        }

        if (container.HasBindMounts)
        {
            _errors.Add($"{container.Name}: bind mounts have no cluster equivalent; use a volume.");
        }

        var (served, _) = _resolver.EndpointsOf(container);
        var env = new EnvironmentBuilder(SecretName, ParametersConfigMap);
        foreach (var (name, value) in container.Env)
        {
            env.Add(name, _resolver.Resolve(value, $"{container.Name} env {name}"));
        }

        var spec = new JsonObject
        {
            ["name"] = container.Name,
            ["image"] = image,
            ["imagePullPolicy"] = "IfNotPresent",
        };
        if (container.Entrypoint is { Length: > 0 } entrypoint)
        {
            spec["command"] = new JsonArray(env.Expand(_resolver.Resolve(entrypoint, $"{container.Name} entrypoint")));
        }

        if (container.Args.Count > 0)
        {
            spec["args"] = new JsonArray([.. container.Args.Select((a, i) =>
                (JsonNode)env.Expand(_resolver.Resolve(a, $"{container.Name} args[{i}]")))]);
        }

        spec["ports"] = ContainerPorts(served.Values);
        spec["env"] = env.Build();
        spec["resources"] = Resources(container.Name, isProject: false);
        if (served.Values.FirstOrDefault() is { } probe)
        {
            spec["readinessProbe"] = TcpProbe(probe.Binding.Name, periodSeconds: 10, failureThreshold: 3);
            spec["livenessProbe"] = TcpProbe(probe.Binding.Name, periodSeconds: 20, failureThreshold: 6);
        }

        var mounts = new JsonArray();
        var podVolumes = new JsonArray();
        foreach (var volume in container.Volumes)
        {
            var mount = new JsonObject { ["name"] = volume.Name, ["mountPath"] = volume.Target };
            if (volume.ReadOnly)
            {
                mount["readOnly"] = true;
            }

            mounts.Add(mount);
        }

        var databases = DatabasesOf(container);
        if (databases.Count > 0)
        {
            // The official image runs these scripts once, when it initialises an empty data directory.
            var initName = $"{container.Name}-init";
            var sql = string.Concat(databases.Select(d => $"CREATE DATABASE \"{d}\";\n"));
            documents.Add(ConfigMap(initName, container.Name, new JsonObject { ["create-databases.sql"] = sql }));
            mounts.Add(new JsonObject { ["name"] = initName, ["mountPath"] = "/docker-entrypoint-initdb.d", ["readOnly"] = true });
            podVolumes.Add(new JsonObject { ["name"] = initName, ["configMap"] = new JsonObject { ["name"] = initName } });
        }

        if (mounts.Count > 0)
        {
            spec["volumeMounts"] = mounts;
        }

        var podSpec = new JsonObject { ["containers"] = new JsonArray(spec) };
        if (podVolumes.Count > 0)
        {
            podSpec["volumes"] = podVolumes;
        }

        var claims = container.Volumes.Count == 0 ? null : new JsonArray([.. container.Volumes.Select(v => (JsonNode)new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = v.Name },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["storage"] = _settings.Storage.GetValueOrDefault(v.Name, _settings.DefaultStorage) },
                },
            },
        })]);

        documents.Add(Workload(claims is null ? "Deployment" : "StatefulSet", container.Name, "backing-service", 1, null, podSpec, claims));
        documents.Add(Service(container.Name, "backing-service", served.Values));
        var header = new List<string> { $"{container.Name}: container {image}" };
        header.AddRange(env.Omitted.Select(o => "omitted env " + o));
        return new ManifestFile($"{container.Name}.yaml", documents, header);
    }

    /// <summary>Databases the manifest declares on a PostgreSQL container (<c>{server.connectionString};Database=x</c>).</summary>
    private List<string> DatabasesOf(AspireResource container)
    {
        var repository = container.Image?.Split(':')[0].Split('/')[^1];
        if (repository != "postgres")
        {
            return [];
        }

        return [.. _manifest.OfKind(ResourceKind.Value)
            .Select(v => DatabaseConnectionString().Match(v.ConnectionString ?? ""))
            .Where(m => m.Success && m.Groups["server"].Value == container.Name)
            .Select(m => m.Groups["database"].Value)];
    }

    private JsonObject Workload(string kind, string name, string component, int replicas, JsonObject? podAnnotations, JsonObject podSpec, JsonArray? claims)
    {
        var template = new JsonObject { ["labels"] = Labels(name, component) };
        if (podAnnotations is not null)
        {
            template["annotations"] = podAnnotations;
        }

        var spec = new JsonObject();
        if (kind == "StatefulSet")
        {
            spec["serviceName"] = name;
        }

        spec["replicas"] = replicas;
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [NameLabel] = name } };
        spec["template"] = new JsonObject { ["metadata"] = template, ["spec"] = podSpec };
        if (claims is not null)
        {
            spec["volumeClaimTemplates"] = claims;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = Labels(name, component) },
            ["spec"] = spec,
        };
    }

    private static JsonObject Service(string name, string component, IEnumerable<ClusterEndpoint> endpoints) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = Labels(name, component) },
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = new JsonObject { [NameLabel] = name },
            ["ports"] = new JsonArray([.. endpoints.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Binding.Name,
                ["port"] = e.Port,
                ["targetPort"] = e.Binding.Name,
                ["protocol"] = "TCP",
            })]),
        },
    };

    private JsonObject Ingress(string name, IEnumerable<ClusterEndpoint> endpoints)
    {
        var rule = new JsonObject();
        if (_settings.Ingress.Host is { Length: > 0 } host)
        {
            rule["host"] = host;
        }

        rule["http"] = new JsonObject
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
        };
        var spec = new JsonObject();
        if (_settings.Ingress.ClassName is { Length: > 0 } className)
        {
            spec["ingressClassName"] = className;
        }

        spec["rules"] = new JsonArray(rule);
        return new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = Labels(name, "service") },
            ["spec"] = spec,
        };
    }

    private static JsonObject ConfigMap(string name, string? owner, JsonObject data)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (owner is not null)
        {
            metadata["labels"] = Labels(owner, "backing-service");
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = data };
    }

    private ManifestFile Kustomization(IEnumerable<ManifestFile> resources)
    {
        var generator = new JsonObject
        {
            ["name"] = SecretName,
            ["envs"] = new JsonArray(SecretsEnvFile),
        };
        var files = Secrets.Keys.Where(k => k.File is not null).Select(k => (JsonNode)$"{k.Key}={k.File!.File}").ToArray();
        if (files.Length > 0)
        {
            generator["files"] = new JsonArray(files);
        }

        var kustomization = new JsonObject
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["namespace"] = _settings.Namespace,
            ["labels"] = new JsonArray(new JsonObject
            {
                ["pairs"] = new JsonObject { [PartOfLabel] = "taskflow" },
                ["includeSelectors"] = false,
            }),
            ["resources"] = new JsonArray([.. resources.Select(f => (JsonNode)f.Path)]),
            // A generated Secret gets a content hash in its name, and references to it are rewritten: pods roll
            // when a secret changes.
            ["secretGenerator"] = new JsonArray(generator),
        };
        return new ManifestFile("kustomization.yaml", [kustomization],
            ["kubectl apply -k deploy/k8s   (after creating secrets.env from secrets.example.env)"]);
    }

    private string SecretsExample()
    {
        var text = new StringBuilder();
        text.Append("# Secret values for deploy/k8s: the kustomization's secretGenerator builds the Secret '").Append(SecretName)
            .Append("' from secrets.env.\n")
            .Append("# Copy this file to secrets.env (git-ignored) and fill in every value, or let the converter write random ones:\n")
            .Append("#   dotnet run --project tools/TaskFlow.Manifests -- secrets\n")
            .Append("# One line per key, no quotes; a URI-encoded key holds the percent-encoded form of its source\n")
            .Append("# (the same text when the source has only letters and digits).\n");
        foreach (var key in Secrets.Keys.Where(k => k.File is null))
        {
            text.Append('\n').Append("# ").Append(key.Key).Append(": ").Append(key.Description).Append('\n').Append(key.Key).Append("=\n");
        }

        var files = Secrets.Keys.Where(k => k.File is not null).ToList();
        if (files.Count > 0)
        {
            text.Append("\n# Multi-line secrets are read from their own git-ignored files, not from this one:\n");
            foreach (var key in files)
            {
                text.Append("#   ").Append(key.Key).Append(" <- ").Append(key.File!.File).Append('\n');
            }
        }

        return text.ToString();
    }

    private JsonObject Resources(string name, bool isProject)
    {
        var limits = _settings.LimitsFor(name, isProject);
        return new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = limits.Requests.Cpu, ["memory"] = limits.Requests.Memory },
            ["limits"] = new JsonObject { ["cpu"] = limits.Limits.Cpu, ["memory"] = limits.Limits.Memory },
        };
    }

    private static JsonArray ContainerPorts(IEnumerable<ClusterEndpoint> endpoints) =>
        [.. endpoints.Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.Binding.Name,
            ["containerPort"] = e.Port,
            ["protocol"] = "TCP",
        })];

    private static JsonObject HttpProbe(string path, string port, int periodSeconds, int timeoutSeconds, int failureThreshold) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = port },
        ["periodSeconds"] = periodSeconds,
        ["timeoutSeconds"] = timeoutSeconds,
        ["failureThreshold"] = failureThreshold,
    };

    private static JsonObject TcpProbe(string port, int periodSeconds, int failureThreshold) => new()
    {
        ["tcpSocket"] = new JsonObject { ["port"] = port },
        ["periodSeconds"] = periodSeconds,
        ["failureThreshold"] = failureThreshold,
    };

    private static JsonObject Labels(string name, string component) => new()
    {
        [NameLabel] = name,
        [ComponentLabel] = component,
        [PartOfLabel] = "taskflow",
    };

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
