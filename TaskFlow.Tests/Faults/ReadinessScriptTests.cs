using System.Diagnostics;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Faults;

/// <summary>run.sh prints "ready" (scripts/wait-until-ready.sh) only once register, login, create-task, notifications and webhooks work through the gateway.</summary>
[Collection(DistributedAppCollection.Name)]
[Trait("Category", "Distributed")]
public sealed class ReadinessScriptTests(TaskFlowAppFixture fixture)
{
    [Fact]
    public async Task The_ready_check_passes_against_the_running_gateway()
    {
        var (exitCode, output) = await ReadinessScript.RunAsync(fixture.App.GetEndpoint("gateway", "http").ToString().TrimEnd('/'), 60);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("ready: ", output, StringComparison.Ordinal);
    }
}

/// <summary>Runs scripts/wait-until-ready.sh and returns its exit code and output.</summary>
internal static class ReadinessScript
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string gateway, int timeoutSeconds)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "scripts", "wait-until-ready.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [Path.GetFullPath(script), gateway, timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
