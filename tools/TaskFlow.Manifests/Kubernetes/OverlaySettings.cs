namespace TaskFlow.Manifests.Kubernetes;

public sealed record OverlaySettings
{
    /// <summary>Replicas by service; <c>default</c> for every other stateless service.</summary>
    public Dictionary<string, int> Replicas { get; init; } = [];

    public IngressSettings? Ingress { get; init; }

    public ForwardingSettings? Forwarding { get; init; }
}
