using System.Diagnostics;
using TaskFlow.Manifests;
using TaskFlow.Manifests.Aspire;
using TaskFlow.Manifests.Kubernetes;

namespace TaskFlow.Tests.Deployment;

/// <summary>
/// Runs the real AppHost's manifest publisher once (the built AppHost, in a temp folder, no network) and converts
/// that manifest with the committed deployment settings and monitoring sources, as deploy/generate-k8s.sh does.
/// </summary>
public sealed class DeploymentFixture : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "taskflow-deploy-" + Guid.NewGuid().ToString("N")[..12]);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string DeployRoot => Path.Combine(RepositoryRoot, "deploy");

    public string ManifestJson { get; private set; } = "";

    public AspireManifest Manifest { get; private set; } = null!;

    public DeploymentSettings Settings { get; private set; } = null!;

    public Conversion Conversion { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        var output = Path.Combine(_work, "aspire-manifest.json");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot, "TaskFlow.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppHostAssembly());
        start.ArgumentList.Add("--publisher");
        start.ArgumentList.Add("manifest");
        start.ArgumentList.Add("--output-path");
        start.ArgumentList.Add(output);
        // As deploy/generate-k8s.sh: no development user secrets, no settings the test run's environment carries.
        foreach (var name in start.Environment.Keys.Where(k =>
                     k.StartsWith("TaskFlow__", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("Parameters__", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("ASPIRE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the AppHost.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"The AppHost manifest publisher failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        ManifestJson = await File.ReadAllTextAsync(output);
        Manifest = AspireManifest.Parse(ManifestJson);
        Settings = DeploymentSettings.Load(Path.Combine(DeployRoot, "k8s.settings.json"));
        Conversion = ManifestConverter.Convert(Manifest, Settings, MonitoringSources.Load(DeployRoot));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The AppHost built in the same configuration as these tests (the test project references it).</summary>
    private static string AppHostAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var candidates = new[] { configuration, "Debug", "Release" }
            .Select(c => Path.Combine(RepositoryRoot, "TaskFlow.AppHost", "bin", c, "net10.0", "TaskFlow.AppHost.dll"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("TaskFlow.AppHost.dll is not built.", candidates.First());
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TaskFlow.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}

/// <summary>
/// Runs after the parallel collections (the distributed tests' AppHost among them): the local discovery script probes
/// this very test process, which answers slowly while an AppHost starts in it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeploymentCollection : ICollectionFixture<DeploymentFixture>
{
    public const string Name = "Deployment";
}
