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
