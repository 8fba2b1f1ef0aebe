namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// Structural checks of generated objects, the mistakes a cluster would only reject (or silently misroute) at
/// apply time: names, ports, every reference (Secret and ConfigMap keys, volumes, probe ports, Service selectors
/// and target ports, Ingress backends, kustomization resources, <c>$(VAR)</c>), and no Aspire expression left.
/// </summary>
public static partial class ManifestValidator
{
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();

    /// <summary>What an unresolved manifest expression looks like: <c>{resource.property...}</c>.</summary>
    [GeneratedRegex(@"\{[A-Za-z0-9-]+(\.[A-Za-z0-9_-]+)+\}")]
    public static partial Regex AspireExpression();

    [GeneratedRegex(@"(?<!\$)\$\((?<name>[-._a-zA-Z0-9]+)\)")]
    private static partial Regex VariableReference();

    /// <param name="files">Every file of one kustomization (and others beside it).</param>
    /// <param name="externalSecrets">Secrets the kustomizations generate, by name, with their keys.</param>
    public static List<string> Validate(IReadOnlyList<ManifestFile> files, IReadOnlyDictionary<string, IReadOnlySet<string>> externalSecrets)
    {
        var errors = new List<string>();
        var documents = files.Where(f => f.IsYaml)
            .SelectMany(f => f.Documents.Select(d => (File: f.Path, Doc: d)))
            .Where(d => d.Doc["kind"]?.ToString() != "Kustomization")
            .ToList();
        var configMaps = documents.Where(d => Kind(d.Doc) == "ConfigMap")
            .ToDictionary(d => Name(d.Doc), d => (d.Doc["data"] as JsonObject ?? []).Select(p => p.Key).ToHashSet());
        var claims = documents.Where(d => Kind(d.Doc) == "PersistentVolumeClaim").Select(d => Name(d.Doc)).ToHashSet();
        var workloads = documents.Where(d => Kind(d.Doc) is "Deployment" or "StatefulSet").ToList();
        var services = documents.Where(d => Kind(d.Doc) == "Service").ToDictionary(d => Name(d.Doc), d => d.Doc);

        foreach (var (file, doc) in documents)
        {
            var where = $"{file} {Kind(doc)}/{Name(doc)}";
            if (string.IsNullOrEmpty(doc["apiVersion"]?.ToString()) || string.IsNullOrEmpty(Kind(doc)))
            {
                errors.Add($"{where}: apiVersion and kind are required.");
            }

            CheckName(errors, where, Name(doc), Kind(doc) is "Service" or "Namespace" ? Dns1123Label() : Dns1123Subdomain());
            foreach (var text in Strings(doc))
            {
                if (AspireExpression().Match(text) is { Success: true } expression)
                {
                    errors.Add($"{where}: unresolved manifest expression {expression.Value}.");
                }
            }

            if (Kind(doc) == "ConfigMap")
            {
                foreach (var key in configMaps[Name(doc)].Where(k => !ConfigKey().IsMatch(k)))
                {
                    errors.Add($"{where}: '{key}' is not a valid ConfigMap key.");
                }
            }
        }

        foreach (var (file, workload) in workloads)
        {
            ValidateWorkload(errors, $"{file} {Kind(workload)}/{Name(workload)}", workload, configMaps, claims, externalSecrets);
        }

        foreach (var (file, service) in documents.Where(d => Kind(d.Doc) == "Service"))
        {
            ValidateService(errors, $"{file} Service/{Name(service)}", service, workloads.Select(w => w.Doc));
        }

        foreach (var (file, ingress) in documents.Where(d => Kind(d.Doc) == "Ingress"))
        {
            foreach (var backend in Descendants(ingress).OfType<JsonObject>().Select(o => o["service"]).OfType<JsonObject>())
            {
                var name = backend["name"]?.ToString() ?? "";
                var port = backend["port"]?["name"]?.ToString();
                if (!services.TryGetValue(name, out var target))
                {
                    errors.Add($"{file} Ingress/{Name(ingress)}: backend Service '{name}' does not exist.");
                }
                else if (port is not null && !(target["spec"]?["ports"] as JsonArray ?? []).Any(p => p?["name"]?.ToString() == port))
                {
                    errors.Add($"{file} Ingress/{Name(ingress)}: Service '{name}' has no port '{port}'.");
                }
            }
        }

        foreach (var (file, doc) in documents.Where(d => Kind(d.Doc) is "PodDisruptionBudget" or "NetworkPolicy"))
        {
            var selector = (Kind(doc) == "NetworkPolicy" ? doc["spec"]?["podSelector"] : doc["spec"]?["selector"])?["matchLabels"] as JsonObject ?? [];
            if (selector.Count > 0 && !workloads.Any(w => selector.All(s =>
                    w.Doc["spec"]?["template"]?["metadata"]?["labels"]?[s.Key]?.ToString() == s.Value?.ToString())))
            {
                errors.Add($"{file} {Kind(doc)}/{Name(doc)}: the selector matches no Deployment or StatefulSet.");
            }
        }

        foreach (var (file, doc) in documents.Where(d => Kind(d.Doc) == "HorizontalPodAutoscaler"))
        {
            var target = doc["spec"]?["scaleTargetRef"];
            if (!workloads.Any(w => Kind(w.Doc) == target?["kind"]?.ToString() && Name(w.Doc) == target?["name"]?.ToString()))
            {
                errors.Add($"{file} HorizontalPodAutoscaler/{Name(doc)}: scales {target?["kind"]}/{target?["name"]}, which does not exist.");
            }
        }

        ValidateKustomizations(errors, files);
        ValidateYamlRoundTrip(errors, files);
        return errors;
    }

    private static void ValidateService(List<string> errors, string where, JsonObject service, IEnumerable<JsonObject> workloads)
    {
        var selector = service["spec"]?["selector"] as JsonObject ?? [];
        var target = workloads.FirstOrDefault(w =>
            selector.Count > 0 &&
            selector.All(s => w["spec"]?["template"]?["metadata"]?["labels"]?[s.Key]?.ToString() == s.Value?.ToString()));
        if (target is null)
        {
            errors.Add($"{where}: the selector matches no Deployment or StatefulSet.");
            return;
        }

        var containerPorts = (target["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [])
            .SelectMany(c => c?["ports"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .ToList();
        foreach (var port in (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Number(port["port"]) is not (>= 1 and <= 65535))
            {
                errors.Add($"{where}: port '{port["port"]}' is not a port number.");
            }

            var targetPort = port["targetPort"];
            var found = targetPort switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => containerPorts.Any(p => Number(p["containerPort"]) == v.GetValue<int>()),
                JsonValue v => containerPorts.Any(p => p["name"]?.ToString() == v.ToString()),
                _ => true,
            };
            if (!found)
            {
                errors.Add($"{where}: targetPort '{targetPort}' is not a port of {Kind(target)}/{Name(target)}.");
            }
        }
    }

    private static void ValidateKustomizations(List<string> errors, IReadOnlyList<ManifestFile> files)
    {
        var paths = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files.Where(f => Path.GetFileName(f.Path) == "kustomization.yaml"))
        {
            var folder = Path.GetDirectoryName(file.Path)?.Replace('\\', '/') ?? "";
            foreach (var resource in file.Documents.SelectMany(d => d["resources"] as JsonArray ?? []).Select(r => r?.ToString() ?? ""))
            {
                var path = Normalize(folder.Length == 0 ? resource : $"{folder}/{resource}");
                var kustomization = path.Length == 0 ? "kustomization.yaml" : $"{path}/kustomization.yaml";
                if (!paths.Contains(path) && !paths.Contains(kustomization))
                {
                    errors.Add($"{file.Path}: resource '{resource}' is not a generated file.");
                }
            }
        }
    }

    /// <summary>"overlays/dev/../.." → "".</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == ".." && parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part is not ("" or "."))
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    /// <summary>The written YAML, read back by a real parser, must be exactly the documents that were meant.</summary>
    private static void ValidateYamlRoundTrip(List<string> errors, IReadOnlyList<ManifestFile> files)
    {
        foreach (var file in files.Where(f => f.IsYaml))
        {
            IReadOnlyList<JsonNode?> read;
            try
            {
                read = YamlReader.ReadDocuments(file.Render());
            }
            catch (FormatException e)
            {
                errors.Add($"{file.Path}: the written YAML does not parse: {e.Message}");
                continue;
            }

            if (read.Count != file.Documents.Count || read.Zip(file.Documents).Any(p => !JsonNode.DeepEquals(p.First, p.Second)))
            {
                errors.Add($"{file.Path}: the written YAML reads back differently from the generated objects.");
            }
        }
    }

    private static void CheckVariables(List<string> errors, string where, string text, List<string> defined)
    {
        foreach (Match reference in VariableReference().Matches(text))
        {
            if (!defined.Contains(reference.Groups["name"].Value))
            {
                errors.Add($"{where}: $({reference.Groups["name"].Value}) refers to no variable defined before it.");
            }
        }
    }

    private static void CheckName(List<string> errors, string where, string name, Regex pattern)
    {
        var limit = pattern == Dns1123Label() ? 63 : 253;
        if (name.Length == 0 || name.Length > limit || !pattern.IsMatch(name))
        {
            errors.Add($"{where}: name '{name}' is not a DNS-1123 {(limit == 63 ? "label" : "subdomain")} (lowercase letters, digits, '-', at most {limit} characters).");
        }
    }

    /// <summary>IANA_SVC_NAME: at most 15 characters, lowercase letters, digits and '-', at least one letter.</summary>
    private static bool IsPortName(string name) =>
        name.Length is > 0 and <= 15 && Dns1123Label().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal) && name.Any(char.IsLetter);

    private static int? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    private static string Kind(JsonObject doc) => doc["kind"]?.ToString() ?? "";

    private static string Name(JsonObject doc) => doc["metadata"]?["name"]?.ToString() ?? "";

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode node) =>
        Descendants(node).OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.ToString());
}
