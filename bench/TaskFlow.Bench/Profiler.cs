using System.Diagnostics;

namespace TaskFlow.Bench;

/// <summary>
/// Optional (<c>--profile</c>): samples the stacks of one process per TaskFlow service with dotnet-trace
/// (dotnet-sampled-thread-time) while a load runs, then prints each one's top methods by exclusive time, ignoring
/// frames where threads only wait. The raw traces stay in the printed folder for PerfView / speedscope.
/// </summary>
internal static class Profiler
{
    private static readonly string[] WaitFrames =
    [
        "WaitHandle", "Monitor.Wait", "LowLevelLifoSemaphore", "Thread.Sleep", "SocketAsyncEngine.EventLoop", "Interop+Sys.WaitForSocketEvents",
        "ManualResetEventSlim.Wait", "SemaphoreSlim.Wait", "Interop+Sys.Poll", "Thread.StartCallback", "UNMANAGED_CODE_TIME", "LowLevelMonitor",
    ];

    public static async Task ProfileAsync(IReadOnlyList<string> markers, TimeSpan duration, Func<Task> load, IReadOnlyList<string>? roles = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "taskflow-profile-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var targets = ProcessCpu.FirstProcessPerService(markers).Where(t => roles is null || roles.Contains(t.Role)).ToList();
        var collectors = targets.Select(t => (t.Role, File: Path.Combine(folder, t.Role + ".nettrace"), Process: Start("dotnet", "tool", "run", "dotnet-trace", "--",
            "collect", "-p", t.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
            "--duration", $"00:00:{(int)duration.TotalSeconds:00}", "-o", Path.Combine(folder, t.Role + ".nettrace")))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load();
        foreach (var collector in collectors)
        {
            await collector.Process.WaitForExitAsync();
        }

        Console.WriteLine($"Profiles (dotnet-sampled-thread-time, {duration.TotalSeconds:0} s under POST load) in {folder}:");
        foreach (var (role, file, _) in collectors)
        {
            using var report = Start("dotnet", "tool", "run", "dotnet-trace", "--", "report", file, "topN", "-n", "40");
            var lines = (await report.StandardOutput.ReadToEndAsync()).Split('\n')
                .Where(l => l.Contains('|', StringComparison.Ordinal) && !WaitFrames.Any(w => l.Contains(w, StringComparison.Ordinal)))
                .Take(12);
            Console.WriteLine($"--- {role} (top methods by exclusive samples, waits left out)");
            foreach (var line in lines)
            {
                Console.WriteLine(line.TrimEnd());
            }
        }
    }

    private static Process Start(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException(file + " did not start");
    }
}
