using Aspire.Hosting.ApplicationModel;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The AppHost's model (built, not started) hands the gateway the proxies and networks whose X-Forwarded-For it may
/// trust, as the gateway's own configuration keys (<c>Gateway:TrustedProxies</c>, <c>Gateway:TrustedNetworks</c>).
/// </summary>
[Trait("Category", "Unit")]
public sealed class AppHostGatewaySettingsTests
{
    private static Task<Dictionary<string, string>> GatewayEnvironmentAsync(params string[] args) =>
        AppHostModel.InspectAsync(args, async builder =>
        {
            var gateway = (IResourceWithEnvironment)builder.Resources.Single(r => r.Name == "gateway");
            var context = new EnvironmentCallbackContext(builder.ExecutionContext, gateway);
            foreach (var callback in gateway.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }

            return context.EnvironmentVariables
                .Where(e => e.Key.StartsWith("Gateway__Trusted", StringComparison.Ordinal))
                .ToDictionary(e => e.Key, e => e.Value?.ToString() ?? "");
        });

    [Fact]
    public async Task Trusted_proxies_and_networks_reach_the_gateway_as_its_configuration_keys()
    {
        var environment = await GatewayEnvironmentAsync(
            "--TaskFlow:GatewayTrustedProxies=10.0.0.5, 10.0.0.6", "--TaskFlow:GatewayTrustedNetworks=10.1.0.0/16,fd00::/8");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Gateway__TrustedProxies__0"] = "10.0.0.5",
                ["Gateway__TrustedProxies__1"] = "10.0.0.6",
                ["Gateway__TrustedNetworks__0"] = "10.1.0.0/16",
                ["Gateway__TrustedNetworks__1"] = "fd00::/8",
            },
            environment);
    }

    [Fact]
    public async Task By_default_the_gateway_trusts_nobody()
    {
        Assert.Empty(await GatewayEnvironmentAsync());
    }
}
