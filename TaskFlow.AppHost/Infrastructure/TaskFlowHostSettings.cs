using Microsoft.Extensions.Configuration;

namespace TaskFlow.AppHost.Infrastructure;

/// <summary>Settings of one AppHost run, read once at startup from the <c>TaskFlow</c> configuration section.</summary>
public sealed record TaskFlowHostSettings(
    InfrastructureMode Mode,
    string DataRoot,
    int? GatewayPort,
    IReadOnlyList<string> GatewayTrustedProxies,
    IReadOnlyList<string> GatewayTrustedNetworks,
    int GatewayReplicas)
{
    public const string SectionName = "TaskFlow";

    public static TaskFlowHostSettings Resolve(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        var requested = section["Infrastructure"] ?? "auto";

        InfrastructureMode mode;
        if (builder.ExecutionContext.IsPublishMode)
        {
            mode = InfrastructureMode.Containers;
        }
        else if (requested.Equals("containers", StringComparison.OrdinalIgnoreCase))
        {
            mode = InfrastructureMode.Containers;
        }
        else if (requested.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            mode = InfrastructureMode.Local;
        }
        else if (requested.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            mode = ContainerRuntimeProbe.IsHealthy() ? InfrastructureMode.Containers : InfrastructureMode.Local;
        }
        else
        {
            throw new InvalidOperationException($"TaskFlow:Infrastructure must be 'auto', 'containers' or 'local', not '{requested}'.");
        }

        var dataRoot = section["DataRoot"];
        if (string.IsNullOrWhiteSpace(dataRoot))
        {
            dataRoot = Path.Combine(RepositoryLayout.Root, ".data");
        }

        // 0 or empty means "any free port" (test runs); the default is the documented 8080.
        var gatewayPort = section.GetValue<int?>("GatewayPort");
        // Whose X-Forwarded-For the gateway trusts for client IPs (comma-separated): proxy addresses, and networks in
        // CIDR notation; nobody by default. The gateway validates them at start.
        var trustedProxies = CommaSeparated(section["GatewayTrustedProxies"]);
        var trustedNetworks = CommaSeparated(section["GatewayTrustedNetworks"]);
        var gatewayReplicas = section.GetValue<int?>("GatewayReplicas") ?? 1;
        return new TaskFlowHostSettings(
            mode, Path.GetFullPath(dataRoot), gatewayPort is > 0 ? gatewayPort : null, trustedProxies, trustedNetworks, Math.Max(1, gatewayReplicas));
    }

    private static string[] CommaSeparated(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
