using System.Text.Json.Nodes;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The service processes ship the runtime settings the benchmark's profiles called for (docs/BENCHMARKS.md): workstation
/// GC, no spin-waiting of idle thread-pool workers and no dynamic PGO (tiering itself stays on, for start-up), in each app's runtimeconfig.json (so containers get them too).
/// </summary>
[Trait("Category", "Unit")]
public sealed class ServiceRuntimeSettingsTests
{
    [Theory]
    [InlineData("TaskFlow.Users")]
    [InlineData("TaskFlow.Tasks")]
    [InlineData("TaskFlow.Notifier")]
    [InlineData("TaskFlow.Gateway")]
    [InlineData("TaskFlow.Graph")]
    [InlineData("TaskFlow.MongoStandIn")]
    public void A_service_process_runs_workstation_GC_without_thread_pool_spinning_or_dynamic_PGO(string app)
    {
        var properties = ConfigProperties(app);

        Assert.False(properties["System.GC.Server"]?.GetValue<bool>() ?? true, $"{app} runs server GC");
        Assert.Equal(0, properties["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]?.GetValue<int>());
        Assert.False(properties["System.Runtime.TieredPGO"]?.GetValue<bool>() ?? true, $"{app} runs dynamic PGO");
        Assert.Null(properties["System.Runtime.TieredCompilation"]);
    }

    [Fact]
    public void The_test_host_keeps_the_runtime_defaults() =>
        Assert.Null(ConfigProperties("TaskFlow.Tests")["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]);

    private static JsonObject ConfigProperties(string app)
    {
        var path = Path.Combine(AppContext.BaseDirectory, app + ".runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        return config["runtimeOptions"]?["configProperties"]?.AsObject() ?? [];
    }
}
