namespace TaskFlow.Manifests.Kubernetes;

/// <summary>
/// Metrics for the backing services: PostgreSQL and Redis through an exporter beside the server in the same pod
/// (it reaches the server on localhost with the server's own password reference), RabbitMQ through its built-in
/// Prometheus plugin (enabled in the official image, per-queue series on /metrics/per-object).
/// </summary>
public static class BackingServiceMetrics
{
    public const string PostgresExporterImage = "quay.io/prometheuscommunity/postgres-exporter:v0.17.1";
    public const string RedisExporterImage = "docker.io/oliver006/redis_exporter:v1.74.0";
    public const string MetricsPortName = "metrics";

    /// <param name="repository">The server image's repository (postgres, redis, ...).</param>
    /// <param name="serverEnv">The server container's env: the exporter reuses its password reference.</param>
    public static MetricsSource? For(string repository, JsonArray serverEnv) => repository switch
    {
        "postgres" => new MetricsSource(MetricsPortName, 9187, "/metrics", Exporter(
            "postgres-exporter", PostgresExporterImage, 9187,
            [
                Literal("DATA_SOURCE_URI", "localhost:5432/postgres?sslmode=disable"),
                Literal("DATA_SOURCE_USER", LiteralOf(serverEnv, "POSTGRES_USER") ?? "postgres"),
                Reference("DATA_SOURCE_PASS", serverEnv, "POSTGRES_PASSWORD"),
            ])),
        "redis" => new MetricsSource(MetricsPortName, 9121, "/metrics", Exporter(
            "redis-exporter", RedisExporterImage, 9121,
            [
                Literal("REDIS_ADDR", "redis://localhost:6379"),
                Reference("REDIS_PASSWORD", serverEnv, "REDIS_PASSWORD"),
            ])),
        "rabbitmq" => new MetricsSource("prometheus", 15692, "/metrics/per-object", null),
        _ => null,
    };

    private static JsonObject Exporter(string name, string image, int port, JsonNode?[] env)
    {
        var user = ImageProfile.For(image)!.User;
        return new JsonObject
        {
            ["name"] = name,
            ["image"] = image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["ports"] = KubernetesObjects.ContainerPorts([(MetricsPortName, port)]),
            ["env"] = new JsonArray([.. env.Where(e => e is not null)]),
            ["resources"] = KubernetesObjects.Resources(new ResourceLimits(new("10m", "32Mi"), new("200m", "128Mi"))),
            ["readinessProbe"] = KubernetesObjects.HttpProbe("/metrics", MetricsPortName, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3),
            ["securityContext"] = PodSecurity.ContainerContext(user),
        };
    }

    private static JsonObject Literal(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static string? LiteralOf(JsonArray env, string name) =>
        env.OfType<JsonObject>().FirstOrDefault(e => e["name"]?.ToString() == name)?["value"]?.ToString();

    private static JsonObject? Reference(string name, JsonArray env, string source) =>
        env.OfType<JsonObject>().FirstOrDefault(e => e["name"]?.ToString() == source)?["valueFrom"] is JsonObject valueFrom
            ? new JsonObject { ["name"] = name, ["valueFrom"] = valueFrom.DeepClone() }
            : null;
}
