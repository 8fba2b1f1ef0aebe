namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// deploy/k8s/kustomization.yaml (the base: every generated file, the Secret from the git-ignored secret files, the
/// gateway's forwarded-headers trust list) and deploy/k8s/overlays/&lt;name&gt; (base + monitoring, with the
/// environment's replicas, ingress host/class/issuer and trusted networks).
/// </summary>
public static class KustomizationFiles
{
    public const string OverlaysFolder = "overlays";
    public const string DefaultReplicas = "default";

    public static ManifestFile Base(IEnumerable<ManifestFile> resources, SecretCatalog secrets, DeploymentSettings settings, IReadOnlyList<string> forwarding)
    {
        var envs = new JsonArray(KubernetesGenerator.SecretsEnvFile);
        if (secrets.Derived.Any())
        {
            envs.Add(KubernetesGenerator.DerivedSecretsEnvFile);
        }

        var generator = new JsonObject { ["name"] = KubernetesGenerator.SecretName, ["envs"] = envs };
        var files = secrets.Keys.Where(k => k.File is not null).Select(k => (JsonNode)$"{k.Key}={k.File!.File}").ToArray();
        if (files.Length > 0)
        {
            generator["files"] = new JsonArray(files);
        }

        var kustomization = new JsonObject
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["namespace"] = settings.Namespace,
            ["labels"] = new JsonArray(new JsonObject
            {
                ["pairs"] = new JsonObject { [KubernetesObjects.PartOfLabel] = "taskflow" },
                ["includeSelectors"] = false,
            }),
            ["resources"] = new JsonArray([.. resources.Select(f => (JsonNode)f.Path)]),
        };
        if (forwarding.Count > 0)
        {
            kustomization["configMapGenerator"] = new JsonArray([.. forwarding.Select(name => (JsonNode)new JsonObject
            {
                ["name"] = name,
                ["literals"] = ForwardingLiterals(settings.Forwarding),
            })]);
        }

        // A generated Secret gets a content hash in its name, and references to it are rewritten: pods roll when a
        // secret changes (a rotated JWT key, a new password).
        kustomization["secretGenerator"] = new JsonArray(generator);
        return new ManifestFile("kustomization.yaml", [kustomization],
            ["kubectl apply -k deploy/k8s/overlays/prod   (after 'TaskFlow.Manifests secrets' wrote the secret files; see deploy/README.md)"]);
    }

    public static IEnumerable<ManifestFile> Overlays(DeploymentSettings settings, IEnumerable<string> services, IReadOnlyList<string> forwarding)
    {
        foreach (var (name, overlay) in settings.Overlays.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var patches = new JsonArray();
            foreach (var service in services)
            {
                if (!overlay.Replicas.TryGetValue(service, out var replicas) && !overlay.Replicas.TryGetValue(DefaultReplicas, out replicas))
                {
                    continue;
                }

                patches.Add(Patch("Deployment", service, [Replace("/spec/replicas", replicas)]));
                patches.Add(Patch("HorizontalPodAutoscaler", service,
                [
                    Replace("/spec/minReplicas", replicas),
                    Replace("/spec/maxReplicas", Math.Max(replicas + 1, replicas * settings.Autoscaling.MaxReplicasFactor)),
                ]));
            }

            if (overlay.Ingress is { } ingress)
            {
                foreach (var service in forwarding.Select(f => f[..^"-forwarding".Length]))
                {
                    patches.Add(Patch("Ingress", service,
                    [
                        Replace("/metadata/annotations/cert-manager.io~1cluster-issuer", ingress.ClusterIssuer),
                        Replace("/spec/ingressClassName", ingress.ClassName),
                        Replace("/spec/tls/0/hosts/0", ingress.Host),
                        Replace("/spec/tls/0/secretName", ingress.TlsSecret),
                        Replace("/spec/rules/0/host", ingress.Host),
                    ]));
                }
            }

            var kustomization = new JsonObject
            {
                ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
                ["kind"] = "Kustomization",
                ["resources"] = new JsonArray($"../../{KubernetesGenerator.BaseFolder}", $"../../{MonitoringGenerator.Folder}"),
            };
            if (overlay.Forwarding is { } trusted && forwarding.Count > 0)
            {
                kustomization["configMapGenerator"] = new JsonArray([.. forwarding.Select(f => (JsonNode)new JsonObject
                {
                    ["name"] = f,
                    ["behavior"] = "replace",
                    ["literals"] = ForwardingLiterals(trusted),
                })]);
            }

            if (patches.Count > 0)
            {
                kustomization["patches"] = patches;
            }

            yield return new ManifestFile($"{OverlaysFolder}/{name}/kustomization.yaml", [kustomization],
                [$"The '{name}' environment: deploy/k8s and deploy/k8s/monitoring with this environment's settings (deploy/k8s.settings.json overlays.{name}).",
                 $"kubectl apply -k deploy/k8s/overlays/{name}"]);
        }
    }

    public static JsonArray ForwardingLiterals(ForwardingSettings forwarding) =>
    [
        .. forwarding.TrustedProxies.Select((p, i) => (JsonNode)$"Gateway__TrustedProxies__{i.ToString(CultureInfo.InvariantCulture)}={p}"),
        .. forwarding.TrustedNetworks.Select((n, i) => (JsonNode)$"Gateway__TrustedNetworks__{i.ToString(CultureInfo.InvariantCulture)}={n}"),
    ];

    public static string SecretsExample(SecretCatalog secrets)
    {
        var text = new StringBuilder();
        text.Append("# Secret values for deploy/k8s: the kustomization's secretGenerator builds the Secret '").Append(KubernetesGenerator.SecretName)
            .Append("'.\n")
            .Append("# Copy this file to secrets.env (git-ignored) and fill in every value (one line each, no quotes: every character\n")
            .Append("# after '=' is the value), then run the converter, which fills in what is missing with random values, refuses\n")
            .Append("# empty or unusable values and writes the derived keys (").Append(KubernetesGenerator.DerivedSecretsEnvFile).Append("):\n")
            .Append("#   dotnet run --project tools/TaskFlow.Manifests -- secrets\n")
            .Append("# Run it again after every change to secrets.env: the encoded copies are never written by hand.\n");
        foreach (var key in secrets.Sources.Where(k => k.File is null))
        {
            text.Append('\n').Append("# ").Append(key.Key).Append(": ").Append(key.Description).Append('\n');
            foreach (var reason in secrets.ConstraintsOf(key.Key).GroupBy(c => c.Reason))
            {
                text.Append("#   must not contain ").Append(string.Join(' ', reason.Select(c => JsonSerializer.Serialize(c.Forbidden))))
                    .Append(": ").Append(reason.Key).Append('\n');
            }

            text.Append(key.Key).Append("=\n");
        }

        var derived = secrets.Derived.ToList();
        if (derived.Count > 0)
        {
            text.Append("\n# Derived by the converter into ").Append(KubernetesGenerator.DerivedSecretsEnvFile).Append(" (do not write them):\n");
            foreach (var key in derived)
            {
                text.Append("#   ").Append(key.Key).Append(": ").Append(key.Description).Append('\n');
            }
        }

        var files = secrets.Sources.Where(k => k.File is not null).ToList();
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

    private static JsonObject Patch(string kind, string name, JsonObject[] operations) => new()
    {
        ["target"] = new JsonObject { ["kind"] = kind, ["name"] = name },
        // A JSON patch (RFC 6902) written as JSON: kustomize reads it as such.
        ["patch"] = new JsonArray([.. operations]).ToJsonString(),
    };

    private static JsonObject Replace(string path, JsonNode value) => new() { ["op"] = "replace", ["path"] = path, ["value"] = value };
}
