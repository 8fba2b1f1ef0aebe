namespace TaskFlow.Manifests.Kubernetes;

/// <summary>A workload as NetworkPolicies see it: its ports, the ones the ingress controller reaches, its metrics port.</summary>
public sealed record PolicyTarget(
    string Name,
    string Component,
    IReadOnlyList<(string Name, int Port)> Ports,
    IReadOnlyList<(string Name, int Port)> ExternalPorts,
    (string Name, int Port)? Metrics);
