using System.Text.Json.Nodes;
using TaskFlow.Manifests;
using TaskFlow.Manifests.Aspire;
using TaskFlow.Manifests.Kubernetes;
using TaskFlow.Manifests.Yaml;

namespace TaskFlow.Tests.Deployment;

/// <summary>
/// deploy/k8s/overlays/{dev,prod} as an operator applies them: the committed tree copied to a temp folder, secret
/// files written there by the converter's own <c>secrets</c> logic, and <c>kubectl kustomize</c> on each overlay.
/// Needs no AppHost: it reads the committed deploy/aspire-manifest.json.
/// </summary>
public sealed class RenderedOverlaysFixture : IAsyncLifetime
{
    public static readonly string[] OverlayNames = ["dev", "prod"];

    private readonly string _work = Path.Combine(Path.GetTempPath(), "taskflow-overlays-" + Guid.NewGuid().ToString("N")[..12]);

    public AspireManifest Manifest { get; private set; } = null!;

    public DeploymentSettings Settings { get; private set; } = null!;

    /// <summary>The rendered YAML of each overlay, by overlay name.</summary>
    public IReadOnlyDictionary<string, string> Yaml { get; private set; } = new Dictionary<string, string>();

    /// <summary>The rendered objects of each overlay, by overlay name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Objects { get; private set; } = new Dictionary<string, IReadOnlyList<JsonObject>>();

    public async Task InitializeAsync()
    {
        Manifest = AspireManifest.Parse(await File.ReadAllTextAsync(Path.Combine(DeploymentFixture.DeployRoot, "aspire-manifest.json")));
        Settings = DeploymentSettings.Load(Path.Combine(DeploymentFixture.DeployRoot, "k8s.settings.json"));
        var conversion = ManifestConverter.Convert(Manifest, Settings, MonitoringSources.Load(DeploymentFixture.DeployRoot));
        if (!conversion.Succeeded)
        {
            throw new InvalidOperationException(string.Join("\n", conversion.Errors));
        }

        var tree = Path.Combine(_work, "k8s");
        CopyTree(Path.Combine(DeploymentFixture.DeployRoot, "k8s"), tree);
        var plan = SecretValues.Prepare(conversion.Secrets, new Dictionary<string, string>());
        foreach (var (path, text) in plan.Files)
        {
            var target = Path.Combine(tree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllTextAsync(target, text);
        }

        var yaml = new Dictionary<string, string>();
        var objects = new Dictionary<string, IReadOnlyList<JsonObject>>();
        foreach (var overlay in OverlayNames)
        {
            yaml[overlay] = await Processes.OutputOfAsync("kubectl", "kustomize", Path.Combine(tree, "overlays", overlay));
            objects[overlay] = [.. YamlReader.ReadDocuments(yaml[overlay]).OfType<JsonObject>()];
        }

        Yaml = yaml;
        Objects = objects;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    private static void CopyTree(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            // Secret files an operator may have left in the working copy are never used: the fixture writes its own.
            if (relative.EndsWith(".env", StringComparison.Ordinal) && !relative.EndsWith(".example.env", StringComparison.Ordinal) ||
                relative.EndsWith(".pem", StringComparison.Ordinal))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
