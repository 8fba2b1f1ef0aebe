using System.Text.RegularExpressions;
using TaskFlow.Manifests.Yaml;

namespace TaskFlow.Tests.Deployment;

/// <summary>The deployment toolchain around the manifests: alert rules under promtool, images, CI workflows.</summary>
[Trait("Category", "Deployment")]
public sealed partial class DeploymentToolingTests
{
    [GeneratedRegex(@"^\s*(-\s*)?uses:\s*(?<action>[^@\s]+)@(?<ref>\S+)", RegexOptions.Multiline)]
    private static partial Regex Uses();

    [Fact]
    public async Task Every_alert_rule_passes_its_promtool_unit_tests()
    {
        var (exitCode, output) = await Processes.RunAsync("promtool", ["test", "rules", "alerts.test.yml"], Path.Combine(DeploymentFixture.DeployRoot, "prometheus"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_of_the_rules_file_has_a_promtool_test_case()
    {
        var rules = YamlReader.ReadDocuments(await File.ReadAllTextAsync(Path.Combine(DeploymentFixture.DeployRoot, "prometheus", "alerts.yml")))[0]!["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!["alert"]!.GetValue<string>()).ToList();
        var tested = YamlReader.ReadDocuments(await File.ReadAllTextAsync(Path.Combine(DeploymentFixture.DeployRoot, "prometheus", "alerts.test.yml")))[0]!["tests"]!.AsArray()
            .SelectMany(t => t!["alert_rule_test"]!.AsArray())
            .Where(t => t!["exp_alerts"]!.AsArray().Count > 0)
            .Select(t => t!["alertname"]!.GetValue<string>())
            .ToHashSet();

        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.Contains(r, tested));
    }

    [Fact]
    public async Task The_prometheus_and_alertmanager_configurations_are_valid()
    {
        var prometheus = Path.Combine(DeploymentFixture.DeployRoot, "prometheus");
        var local = await Processes.RunAsync("promtool", ["check", "config", "--syntax-only", "prometheus.yml"], prometheus);
        Assert.True(local.ExitCode == 0, local.Output);

        // Debian's Prometheus is built without Kubernetes discovery: check the rest of the cluster config with the
        // discovery block swapped for an empty static one (the discovery itself is covered by MonitoringConfigTests).
        var cluster = await File.ReadAllTextAsync(Path.Combine(prometheus, "prometheus-k8s.yml"));
        var withoutDiscovery = Regex.Replace(cluster, @"    kubernetes_sd_configs:\n      - role: pod\n        namespaces:\n          own_namespace: true\n",
            "    static_configs:\n      - targets: []\n");
        Assert.NotEqual(cluster, withoutDiscovery);
        var copy = Path.Combine(Path.GetTempPath(), $"prometheus-k8s-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(copy, withoutDiscovery);
        try
        {
            var checkedCluster = await Processes.RunAsync("promtool", ["check", "config", "--syntax-only", copy]);
            Assert.True(checkedCluster.ExitCode == 0, checkedCluster.Output);
        }
        finally
        {
            File.Delete(copy);
        }

        var alertmanager = await Processes.RunAsync("amtool", ["check-config", Path.Combine(DeploymentFixture.DeployRoot, "alertmanager", "alertmanager.yml")]);
        Assert.True(alertmanager.ExitCode == 0, alertmanager.Output);
    }

    [Fact]
    public async Task The_collector_pipelines_use_only_declared_components()
    {
        var config = YamlReader.ReadDocuments(await File.ReadAllTextAsync(Path.Combine(DeploymentFixture.DeployRoot, "otel", "collector.yaml")))[0]!;
        var pipelines = config["service"]!["pipelines"]!.AsObject();
        Assert.Equal(["logs", "metrics", "traces"], pipelines.Select(p => p.Key).Order());
        foreach (var (name, pipeline) in pipelines)
        {
            foreach (var kind in new[] { "receivers", "processors", "exporters" })
            {
                Assert.All(pipeline![kind]!.AsArray(), c => Assert.True(config[kind]?[c!.GetValue<string>()] is not null, $"{name}: {kind} {c} is not declared"));
            }
        }

        Assert.NotNull(config["receivers"]!["otlp"]!["protocols"]!["grpc"]);
    }

    [Theory]
    [InlineData("TaskFlow.Users", "users")]
    [InlineData("TaskFlow.Gateway", "gateway")]
    public async Task Service_projects_publish_a_non_root_image_tagged_with_the_version(string project, string service)
    {
        var (exitCode, output) = await Processes.RunAsync("dotnet",
            ["msbuild", project, "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getProperty:ContainerUser",
             "-getProperty:ContainerBaseImage", "-p:Version=7.8.9-rc.1"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"\"ContainerRepository\": \"taskflow/{service}\"", output, StringComparison.Ordinal);
        Assert.Contains("\"ContainerImageTag\": \"7.8.9-rc.1\"", output, StringComparison.Ordinal);
        Assert.Contains("\"ContainerUser\": \"1654\"", output, StringComparison.Ordinal);
        Assert.Contains("\"ContainerBaseImage\": \"mcr.microsoft.com/dotnet/aspnet:10.0\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_apphost_publishes_no_image()
    {
        var (exitCode, output) = await Processes.RunAsync("dotnet", ["msbuild", "TaskFlow.AppHost", "-getProperty:ContainerRepository"]);

        Assert.True(exitCode == 0, output);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public void Every_workflow_pins_its_actions_by_commit_and_grants_nothing_by_default()
    {
        var workflows = Directory.GetFiles(Path.Combine(DeploymentFixture.RepositoryRoot, ".github", "workflows"), "*.yml");
        Assert.NotEmpty(workflows);
        foreach (var file in workflows)
        {
            var text = File.ReadAllText(file);
            var uses = Uses().Matches(text).ToList();
            Assert.NotEmpty(uses);
            Assert.All(uses, u => Assert.Matches("^[0-9a-f]{40}$", u.Groups["ref"].Value));

            var workflow = YamlReader.ReadDocuments(text)[0]!;
            Assert.True(workflow["permissions"] is System.Text.Json.Nodes.JsonObject { Count: 0 }, $"{file}: top-level permissions must be {{}}");
            foreach (var (job, definition) in workflow["jobs"]!.AsObject())
            {
                var permissions = definition!["permissions"]!.AsObject();
                Assert.Equal("read", permissions["contents"]!.GetValue<string>());
                // The one write: the release's image job pushes packages.
                Assert.All(permissions.Where(p => p.Value!.GetValue<string>() == "write"),
                    p => Assert.True(p.Key == "packages" && job == "images", $"{file} {job}: write permission {p.Key}"));
            }
        }
    }
}
