namespace TaskFlow.Manifests.Kubernetes;

/// <summary>Checks of one Deployment or StatefulSet: selector, volumes, ports, env references, probes.</summary>
public static partial class ManifestValidator
{
    private static void ValidateWorkload(
        List<string> errors, string where, JsonObject workload, Dictionary<string, HashSet<string>> configMaps, HashSet<string> claims,
        IReadOnlyDictionary<string, IReadOnlySet<string>> secrets)
    {
        var spec = workload["spec"] as JsonObject ?? [];
        var podLabels = spec["template"]?["metadata"]?["labels"] as JsonObject ?? [];
        foreach (var (key, value) in spec["selector"]?["matchLabels"] as JsonObject ?? [])
        {
            if (podLabels[key]?.ToString() != value?.ToString())
            {
                errors.Add($"{where}: selector {key}={value} does not match the pod template's labels.");
            }
        }

        if (Kind(workload) == "StatefulSet" && string.IsNullOrEmpty(spec["serviceName"]?.ToString()))
        {
            errors.Add($"{where}: a StatefulSet needs a serviceName.");
        }

        var podSpec = spec["template"]?["spec"] as JsonObject ?? [];
        var volumes = new HashSet<string>();
        foreach (var volume in (podSpec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            volumes.Add(volume["name"]?.ToString() ?? "");
            if (volume["configMap"]?["name"]?.ToString() is { } configMap && !configMaps.ContainsKey(configMap))
            {
                errors.Add($"{where}: volume '{volume["name"]}' mounts the missing ConfigMap '{configMap}'.");
            }

            if (volume["persistentVolumeClaim"]?["claimName"]?.ToString() is { } claim && !claims.Contains(claim))
            {
                errors.Add($"{where}: volume '{volume["name"]}' uses the missing claim '{claim}'.");
            }
        }

        foreach (var claim in (spec["volumeClaimTemplates"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = claim["metadata"]?["name"]?.ToString() ?? "";
            CheckName(errors, $"{where} volumeClaimTemplate", name, Dns1123Label());
            volumes.Add(name);
        }

        var containers = (podSpec["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (containers.Count == 0)
        {
            errors.Add($"{where}: no containers.");
        }

        var prometheusPort = spec["template"]?["metadata"]?["annotations"]?["prometheus.io/port"]?.ToString();
        var allPorts = new HashSet<int>();
        foreach (var container in containers)
        {
            var name = container["name"]?.ToString() ?? "";
            var at = $"{where} container {name}";
            CheckName(errors, at, name, Dns1123Label());
            if (string.IsNullOrWhiteSpace(container["image"]?.ToString()))
            {
                errors.Add($"{at}: no image.");
            }

            var portNames = new HashSet<string>();
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var number = Number(port["containerPort"]);
                if (number is not (>= 1 and <= 65535))
                {
                    errors.Add($"{at}: containerPort '{port["containerPort"]}' is not a port number.");
                }
                else
                {
                    allPorts.Add(number.Value);
                }

                var portName = port["name"]?.ToString() ?? "";
                if (!IsPortName(portName) || !portNames.Add(portName))
                {
                    errors.Add($"{at}: port name '{portName}' is invalid or repeated (at most 15 characters, lowercase letters, digits, '-').");
                }
            }

            var defined = new List<string>();
            foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var envName = env["name"]?.ToString() ?? "";
                if (!EnvName().IsMatch(envName) || defined.Contains(envName))
                {
                    errors.Add($"{at}: env name '{envName}' is invalid or repeated.");
                }

                if (env["value"] is JsonValue value)
                {
                    // Kubernetes expands $(NAME) only for variables defined earlier in the list.
                    CheckVariables(errors, $"{at} env {envName}", value.ToString(), defined);
                }

                if (env["valueFrom"]?["secretKeyRef"] is JsonObject secretRef)
                {
                    var secret = secretRef["name"]?.ToString() ?? "";
                    var key = secretRef["key"]?.ToString() ?? "";
                    if (!secrets.TryGetValue(secret, out var keys) || !keys.Contains(key))
                    {
                        errors.Add($"{at} env {envName}: Secret '{secret}' has no key '{key}'.");
                    }
                }

                if (env["valueFrom"]?["configMapKeyRef"] is JsonObject configRef)
                {
                    var map = configRef["name"]?.ToString() ?? "";
                    var key = configRef["key"]?.ToString() ?? "";
                    if (!configMaps.TryGetValue(map, out var keys) || !keys.Contains(key))
                    {
                        errors.Add($"{at} env {envName}: ConfigMap '{map}' has no key '{key}'.");
                    }
                }

                if (env["value"] is null && env["valueFrom"] is null)
                {
                    errors.Add($"{at} env {envName}: neither value nor valueFrom.");
                }

                defined.Add(envName);
            }

            foreach (var argument in new[] { "command", "args" }.SelectMany(f => (container[f] as JsonArray ?? []).Select(a => a?.ToString() ?? "")))
            {
                CheckVariables(errors, $"{at} command/args", argument, defined);
            }

            foreach (var probeName in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
            {
                var probePort = container[probeName]?["httpGet"]?["port"] ?? container[probeName]?["tcpSocket"]?["port"];
                if (probePort is JsonValue port && !(port.GetValueKind() == JsonValueKind.Number
                        ? PortsOf(container).Contains(port.GetValue<int>())
                        : portNames.Contains(port.ToString())))
                {
                    errors.Add($"{at}: {probeName} port '{port}' is not one of the container's ports.");
                }
            }

            foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (!volumes.Contains(mount["name"]?.ToString() ?? ""))
                {
                    errors.Add($"{at}: volumeMount '{mount["name"]}' has no volume or claim template.");
                }
            }
        }

        if (prometheusPort is not null && !(int.TryParse(prometheusPort, out var scrapePort) && allPorts.Contains(scrapePort)))
        {
            errors.Add($"{where}: prometheus.io/port '{prometheusPort}' is not a container port.");
        }

        static HashSet<int> PortsOf(JsonObject container) =>
            [.. (container["ports"] as JsonArray ?? []).Select(p => Number(p?["containerPort"]) ?? 0)];
    }
}
