namespace TaskFlow.Manifests.Kubernetes;

public sealed record AutoscalingSettings
{
    /// <summary>The HPA's maximum is the service's replicas times this.</summary>
    public int MaxReplicasFactor { get; init; } = 3;

    public int CpuUtilization { get; init; } = 70;
}
