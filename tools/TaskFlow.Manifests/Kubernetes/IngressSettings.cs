namespace TaskFlow.Manifests.Kubernetes;

public sealed record IngressSettings
{
    /// <summary>Host the external endpoints answer on (required: the TLS certificate is issued for it).</summary>
    public string Host { get; init; } = "taskflow.example.com";

    public string ClassName { get; init; } = "nginx";

    /// <summary>The Secret cert-manager writes the certificate to.</summary>
    public string TlsSecret { get; init; } = "taskflow-tls";

    /// <summary>cert-manager's ClusterIssuer (annotation <c>cert-manager.io/cluster-issuer</c>).</summary>
    public string ClusterIssuer { get; init; } = "letsencrypt";

    /// <summary>The namespace the ingress controller runs in: the only source the gateway's public port admits.</summary>
    public string ControllerNamespace { get; init; } = "ingress-nginx";
}
