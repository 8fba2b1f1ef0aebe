using Microsoft.Extensions.Configuration;
using System.Diagnostics;

namespace TaskFlow.AppHost.Infrastructure;

/// <summary>How the backing services (PostgreSQL, MongoDB, Redis, RabbitMQ) are provided in this run.</summary>
public enum InfrastructureMode
{
    /// <summary>Official container images; needs a healthy container runtime. Always used when publishing.</summary>
    Containers,

    /// <summary>Debian's server binaries and the MongoDB stand-in as local processes; needs no container runtime.</summary>
    Local,
}

/// <summary>Settings of one AppHost run, read once at startup from the <c>TaskFlow</c> configuration section.</summary>
public sealed record TaskFlowHostSettings(InfrastructureMode Mode, string DataRoot, int? GatewayPort, IReadOnlyList<string> GatewayTrustedProxies, int GatewayReplicas)
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
        // Proxies whose X-Forwarded-For the gateway trusts for client IPs (comma-separated); none by default.
        var trustedProxies = (section["GatewayTrustedProxies"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var gatewayReplicas = section.GetValue<int?>("GatewayReplicas") ?? 1;
        return new TaskFlowHostSettings(mode, Path.GetFullPath(dataRoot), gatewayPort is > 0 ? gatewayPort : null, trustedProxies, Math.Max(1, gatewayReplicas));
    }
}

/// <summary>Asks the container CLI whether its engine answers; a CLI without a daemon is not healthy.</summary>
internal static class ContainerRuntimeProbe
{
    public static bool IsHealthy()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0 && process.StandardOutput.ReadToEnd().Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no CLI at all
        }
    }
}

/// <summary>Where the repository lives on disk, recorded at build time.</summary>
internal static class RepositoryLayout
{
    public static string Root => Metadata("TaskFlow.RepositoryRoot");

    public static string MongoStandInAssembly => Metadata("TaskFlow.MongoStandInAssembly");

    private static string Metadata(string key) =>
        typeof(RepositoryLayout).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing from the AppHost build.");
}
