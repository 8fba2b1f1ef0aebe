using System.Text.Json;
using TaskFlow.Tests.Messaging;

namespace TaskFlow.Tests.Infrastructure;

/// <summary>
/// An F5 run gives every project the port of its launch profile, behind the AppHost's proxy; two projects with the
/// same port make one of them unreachable (the gateway would route to the wrong service). Test runs use free ports,
/// so only this check catches it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LaunchProfileTests
{
    [Fact]
    public void Every_project_launch_profile_has_its_own_port()
    {
        var root = ContractSchemaTests.RepositoryRoot();
        var ports = Directory.GetFiles(root, "launchSettings.json", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path =>
            {
                using var settings = JsonDocument.Parse(File.ReadAllText(path));
                return settings.RootElement.GetProperty("profiles").EnumerateObject()
                    .Where(profile => profile.Value.TryGetProperty("applicationUrl", out _))
                    .SelectMany(profile => profile.Value.GetProperty("applicationUrl").GetString()!.Split(';'))
                    .Select(url => (Project: Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), new Uri(url).Port))
                    .Distinct()
                    .ToList();
            })
            .ToList();

        Assert.True(ports.Count >= 7, $"expected the launch profiles of every project, found {ports.Count}");
        var shared = ports.GroupBy(p => p.Port).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Project))}").ToList();
        Assert.True(shared.Count == 0, "projects sharing a launch port: " + string.Join("; ", shared));
    }
}
