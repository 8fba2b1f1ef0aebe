namespace TaskFlow.Manifests.Kubernetes;

/// <summary>Where Prometheus scrapes a backing service, and the exporter sidecar that serves it, if one is needed.</summary>
public sealed record MetricsSource(string PortName, int Port, string Path, JsonObject? Sidecar);
