using static TaskFlow.Manifests.Kubernetes.KubernetesObjects;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>Containers (the backing services): StatefulSet or Deployment, Services, metrics, locked-down pods.</summary>
public sealed partial class KubernetesGenerator
{
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

        var profile = ImageProfile.For(image);
        if (profile is null)
        {
            _errors.Add($"{container.Name}: no security profile for image '{image}' (its non-root user and writable paths); add it to {nameof(ImageProfile)}.");
            profile = new ImageProfile(65532, ["/tmp"]);
        }

        var (served, _) = _resolver.EndpointsOf(container);
        var env = new EnvironmentBuilder(SecretName, ParametersConfigMap);
        var resolvedEnv = new Dictionary<string, ResolvedValue>(StringComparer.Ordinal);
        foreach (var (name, value) in container.Env)
        {
            resolvedEnv[name] = _resolver.Resolve(value, $"{container.Name} env {name}");
            env.Add(name, resolvedEnv[name]);
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
            ConstrainShellSecrets(container, resolvedEnv);
        }

        var envArray = env.Build();
        var metrics = BackingServiceMetrics.For(ImageProfile.Repository(image), envArray);
        var ports = Ports(served.Values).ToList();
        if (metrics is { Sidecar: null })
        {
            ports.Add((metrics.PortName, metrics.Port));
        }

        spec["ports"] = ContainerPorts(ports);
        spec["env"] = envArray;
        spec["resources"] = Resources(_settings.LimitsFor(container.Name, isProject: false));
        if (served.Values.FirstOrDefault() is { } probe)
        {
            spec["readinessProbe"] = TcpProbe(probe.Binding.Name, periodSeconds: 10, failureThreshold: 3);
            spec["livenessProbe"] = TcpProbe(probe.Binding.Name, periodSeconds: 20, failureThreshold: 6);
        }

        spec["securityContext"] = PodSecurity.ContainerContext();
        foreach (var volume in container.Volumes)
        {
            var mount = new JsonObject { ["name"] = volume.Name, ["mountPath"] = volume.Target };
            if (volume.ReadOnly)
            {
                mount["readOnly"] = true;
            }

            PodSecurity.Add(spec, "volumeMounts", mount);
        }

        var containers = new JsonArray(spec);
        if (metrics?.Sidecar is { } sidecar)
        {
            containers.Add(sidecar);
        }

        var podSpec = PodSecurity.Pod(profile.User, containers);
        var databases = DatabasesOf(container);
        if (databases.Count > 0)
        {
            // The official image runs these scripts once, when it initialises an empty data directory.
            var initName = $"{container.Name}-init";
            var sql = string.Concat(databases.Select(d => $"CREATE DATABASE \"{d}\";\n"));
            documents.Add(KubernetesObjects.ConfigMap(initName, container.Name, BackingServiceComponent, new JsonObject { ["create-databases.sql"] = sql }));
            PodSecurity.Add(spec, "volumeMounts", new JsonObject { ["name"] = initName, ["mountPath"] = "/docker-entrypoint-initdb.d", ["readOnly"] = true });
            PodSecurity.Add(podSpec, "volumes", new JsonObject { ["name"] = initName, ["configMap"] = new JsonObject { ["name"] = initName } });
        }

        PodSecurity.AddWritablePaths(podSpec, spec, profile.WritablePaths);
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

        JsonObject? podAnnotations = metrics is null ? null : new JsonObject
        {
            ["prometheus.io/scrape"] = "true",
            ["prometheus.io/port"] = Port(metrics.Port),
            ["prometheus.io/path"] = metrics.Path,
        };
        var kind = claims is null ? "Deployment" : "StatefulSet";
        documents.Add(Workload(kind, container.Name, BackingServiceComponent, 1, podAnnotations, podSpec, claims));
        documents.Add(Service(container.Name, BackingServiceComponent, Ports(served.Values)));
        if (kind == "StatefulSet")
        {
            documents.Add(Service(container.Name, BackingServiceComponent, Ports(served.Values), headless: true));
        }

        _targets.Add(new PolicyTarget(container.Name, BackingServiceComponent, [.. Ports(served.Values)], [],
            metrics is null ? null : (metrics.PortName, metrics.Port)));
        var header = new List<string> { $"{container.Name}: container {image}" };
        header.AddRange(env.Omitted.Select(o => "omitted env " + o));
        return new ManifestFile($"{container.Name}.yaml", documents, header);
    }

    /// <summary>A secret the container's shell command expands unquoted (<c>$REDIS_PASSWORD</c>) is split at blanks and globbed.</summary>
    private void ConstrainShellSecrets(AspireResource container, Dictionary<string, ResolvedValue> env)
    {
        foreach (var variable in container.Args.SelectMany(a => ShellVariable().Matches(a)).Select(m => m.Groups["name"].Value).Distinct())
        {
            if (env.GetValueOrDefault(variable)?.Parts is [SecretPart secret])
            {
                foreach (var forbidden in new[] { " ", "\t", "*", "?", "[" })
                {
                    Secrets.Constrain(secret.Key, new SecretConstraint(forbidden,
                        $"{container.Name}: its command expands ${variable} unquoted in a shell (blanks split it, *?[ glob)"));
                }
            }
        }
    }

    /// <summary>Databases the manifest declares on a PostgreSQL container (<c>{server.connectionString};Database=x</c>).</summary>
    private List<string> DatabasesOf(AspireResource container)
    {
        if (ImageProfile.Repository(container.Image ?? "") != "postgres")
        {
            return [];
        }

        return [.. _manifest.OfKind(ResourceKind.Value)
            .Select(v => DatabaseConnectionString().Match(v.ConnectionString ?? ""))
            .Where(m => m.Success && m.Groups["server"].Value == container.Name)
            .Select(m => m.Groups["database"].Value)];
    }
}
