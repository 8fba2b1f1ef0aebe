using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskFlow.Gateway.Extensions;

namespace TaskFlow.Tests.Gateway;

/// <summary>The gateway's own composition decides whom X-Forwarded-For is trusted from; nothing else can widen it.</summary>
[Trait("Category", "Unit")]
public sealed class ForwardedHeadersTrustTests
{
    private static readonly string[] ForwardedHeadersEnabled = ["--FORWARDEDHEADERS_ENABLED=true", "--ConnectionStrings:redis=localhost:1,abortConnect=false"];

    [Fact]
    public void The_forwarded_headers_switch_alone_would_trust_every_peer()
    {
        // The control: ASPNETCORE_FORWARDEDHEADERS_ENABLED=true empties both lists, i.e. trusts anyone.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ForwardedHeadersEnabled });
        using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Empty(options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
    }

    [Fact]
    public void The_gateway_trusts_only_its_configured_proxies_and_networks_even_with_the_switch_on()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. ForwardedHeadersEnabled, "--Gateway:TrustedProxies:0=10.0.0.12", "--Gateway:TrustedNetworks:0=10.244.0.0/16"],
        });
        builder.AddApplicationServices();
        using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Equal(new[] { IPAddress.Parse("10.0.0.12") }, options.KnownProxies);
        Assert.Equal(new[] { System.Net.IPNetwork.Parse("10.244.0.0/16") }, options.KnownIPNetworks);
        Assert.Equal(1, options.ForwardLimit);
    }

    [Fact]
    public void Without_configuration_the_gateway_trusts_no_proxy_at_all()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ForwardedHeadersEnabled });
        builder.AddApplicationServices();
        using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Empty(options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
        // Default lists would trust loopback; emptied here, so a non-loopback client cannot spoof either.
        Assert.DoesNotContain(IPAddress.IPv6Loopback, options.KnownProxies);
    }

    [Fact]
    public void A_malformed_network_stops_the_gateway_at_start()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. ForwardedHeadersEnabled, "--Gateway:TrustedNetworks:0=10.244.0.0/99"],
        });
        builder.AddApplicationServices();
        using var app = builder.Build();
        Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<TaskFlow.Gateway.Forwarding.TrustedProxyOptions>>().Value);
    }
}
