namespace TaskFlow.Manifests.Kubernetes;

/// <summary>The pod and container security settings every TaskFlow workload gets.</summary>
public static class PodSecurity
{
    public static JsonObject PodContext(int user) => new()
    {
        ["runAsNonRoot"] = true,
        ["runAsUser"] = user,
        ["runAsGroup"] = user,
        // Volumes (claims, emptyDirs) become group-writable for the image's user.
        ["fsGroup"] = user,
        ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
    };

    public static JsonObject ContainerContext(int? user = null)
    {
        var context = new JsonObject
        {
            ["allowPrivilegeEscalation"] = false,
            ["readOnlyRootFilesystem"] = true,
            ["runAsNonRoot"] = true,
        };
        if (user is not null)
        {
            context["runAsUser"] = user.Value;
            context["runAsGroup"] = user.Value;
        }

        context["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") };
        return context;
    }

    /// <summary>A volume name for a writable path ("/var/run/postgresql" → "var-run-postgresql").</summary>
    public static string VolumeName(string path) => "writable-" + path.Trim('/').Replace('/', '-').Replace('_', '-').ToLowerInvariant();

    /// <summary>Adds an emptyDir volume and mount per writable path.</summary>
    public static void AddWritablePaths(JsonObject podSpec, JsonObject container, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            var name = VolumeName(path);
            Add(container, "volumeMounts", new JsonObject { ["name"] = name, ["mountPath"] = path });
            if (!(podSpec["volumes"] as JsonArray ?? []).Any(v => v?["name"]?.ToString() == name))
            {
                Add(podSpec, "volumes", new JsonObject { ["name"] = name, ["emptyDir"] = new JsonObject { ["sizeLimit"] = "256Mi" } });
            }
        }
    }

    /// <summary>
    /// The settings every pod spec gets: the pod context, and no automatic API token (a pod that needs one, Prometheus,
    /// mounts it explicitly as a projected volume).
    /// </summary>
    public static JsonObject Pod(int user, JsonArray containers, string? serviceAccount = null)
    {
        var spec = new JsonObject();
        if (serviceAccount is not null)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        spec["automountServiceAccountToken"] = false;
        spec["securityContext"] = PodContext(user);
        spec["containers"] = containers;
        return spec;
    }

    public static void Add(JsonObject owner, string property, JsonNode item)
    {
        if (owner[property] is not JsonArray list)
        {
            owner[property] = list = [];
        }

        list.Add(item);
    }
}
