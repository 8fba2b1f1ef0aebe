using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskFlow.Gateway.RateLimiting;

namespace TaskFlow.Tests.Gateway;

/// <summary>The lease settings of the per-user bucket are configurable under <c>RateLimits</c> and validated on start.</summary>
[Trait("Category", "Unit")]
public sealed class RateLimitLeaseOptionsTests
{
    [Fact]
    public void Defaults_lease_at_most_50_tokens_for_one_second()
    {
        using var provider = Build([]);
        var options = provider.GetRequiredService<IOptions<GatewayRateLimitOptions>>().Value;
        Assert.Equal((50, TimeSpan.FromSeconds(1)), (options.AuthenticatedLeaseMaxTokens, options.AuthenticatedLeaseLifetime));
    }

    [Theory]
    [InlineData("AuthenticatedLeaseLifetime", "00:00:00")]
    [InlineData("AuthenticatedLeaseLifetime", "00:05:00")]
    [InlineData("AuthenticatedLeaseMaxTokens", "0")]
    public void An_out_of_range_lease_setting_is_refused(string setting, string value)
    {
        using var provider = Build(new() { ["RateLimits:" + setting] = value });
        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GatewayRateLimitOptions>>().Value);
        Assert.Contains(setting, refused.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddGatewayRateLimiting();
        return builder.Services.BuildServiceProvider();
    }
}
