using System.Text.Json.Nodes;

namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// What a container image needs to run locked down: the numeric non-root user it was built for (so
/// <c>runAsNonRoot</c> can verify it), and the paths it writes besides its volumes (emptyDirs, since the root file
/// system is read-only).
/// </summary>
public sealed record ImageProfile(int User, IReadOnlyList<string> WritablePaths)
{
    /// <summary>The .NET images' <c>app</c> user; ASP.NET Core buffers large bodies and the runtime keeps its diagnostics socket in /tmp.</summary>
    public static ImageProfile DotNet { get; } = new(1654, ["/tmp"]);

    /// <summary>By image repository (the official images' own users: postgres, mongodb, redis and rabbitmq are UID 999).</summary>
    private static readonly Dictionary<string, ImageProfile> Known = new(StringComparer.Ordinal)
    {
        ["postgres"] = new(999, ["/var/run/postgresql", "/tmp"]),
        ["mongo"] = new(999, ["/data/configdb", "/tmp"]),
        ["redis"] = new(999, ["/tmp"]),
        ["rabbitmq"] = new(999, ["/var/log/rabbitmq", "/tmp"]),
        ["prometheus"] = new(65534, ["/tmp"]),
        ["alertmanager"] = new(65534, ["/alertmanager", "/tmp"]),
        ["grafana"] = new(472, ["/var/lib/grafana", "/tmp"]),
        ["opentelemetry-collector-contrib"] = new(10001, ["/tmp"]),
        ["postgres-exporter"] = new(65534, []),
        ["redis_exporter"] = new(59000, []),
        ["configmap-reload"] = new(65534, []),
    };

    public static string Repository(string image) => image.Split('@')[0].Split(':')[0].Split('/')[^1];

    public static ImageProfile? For(string image) => Known.GetValueOrDefault(Repository(image));
}

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
