namespace TaskFlow.Gateway.Forwarding;

/// <summary>
/// Which peers may tell the gateway the client's address (X-Forwarded-For / X-Forwarded-Proto); bound from
/// <c>Gateway</c>. Nobody by default: then the client IP (the rate-limit key) is the TCP peer.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.12</c>.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Networks (CIDR) of trusted proxies, e.g. the ingress controller's pod network <c>10.244.0.0/16</c>.</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    public bool IsValid(out string error)
    {
        var badProxy = TrustedProxies.FirstOrDefault(p => !IPAddress.TryParse(p, out _));
        var badNetwork = TrustedNetworks.FirstOrDefault(n => !IPNetwork.TryParse(n, out _));
        error = badProxy is not null ? $"Gateway:TrustedProxies has '{badProxy}', which is not an IP address."
            : badNetwork is not null ? $"Gateway:TrustedNetworks has '{badNetwork}', which is not a CIDR network."
            : "";
        return error.Length == 0;
    }
}
