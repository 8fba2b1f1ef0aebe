namespace TaskFlow.Manifests.Kubernetes;

public sealed record ForwardingSettings
{
    /// <summary>Single proxy addresses (<c>Gateway__TrustedProxies__N</c>).</summary>
    public List<string> TrustedProxies { get; init; } = [];

    /// <summary>Networks in CIDR notation (<c>Gateway__TrustedNetworks__N</c>): the ingress controller's pod network.</summary>
    public List<string> TrustedNetworks { get; init; } = [];
}
