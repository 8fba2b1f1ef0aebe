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
