using Microsoft.AspNetCore.HttpOverrides;

namespace TaskFlow.Gateway.Forwarding;

/// <summary>
/// X-Forwarded-For is trusted only from <see cref="TrustedProxyOptions"/>' proxies and networks, and nothing else can
/// widen that: this runs after every other configuration of <see cref="ForwardedHeadersOptions"/>, including the one
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> adds (which would trust any peer), and replaces their lists.
/// </summary>
public sealed class ForwardedHeadersTrust(IOptions<TrustedProxyOptions> trusted) : IPostConfigureOptions<ForwardedHeadersOptions>
{
    public void PostConfigure(string? name, ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // One hop: the client address is the entry the trusted proxy appended; anything before it is client-supplied.
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in trusted.Value.TrustedProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in trusted.Value.TrustedNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }
}
