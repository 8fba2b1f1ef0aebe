using System.Diagnostics;

namespace TaskFlow.Bench;

/// <summary>
/// Optional (<c>--profile</c>): samples the stacks of one process per TaskFlow service with dotnet-trace
/// (dotnet-sampled-thread-time) while a load runs, then prints each one's top frames by exclusive managed CPU
/// (<c>bench/profile-summary.py</c> over the speedscope export). The raw traces stay in the printed folder for PerfView / speedscope.
/// </summary>
internal static class Profiler
{
    public static async Task ProfileAsync(IReadOnlyList<string> markers, TimeSpan duration, Func<Task> load, IReadOnlyList<string>? roles = null, string loadName = "POST")
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

        Console.WriteLine($"Profiles (dotnet-sampled-thread-time, {duration.TotalSeconds:0} s under {loadName} load) in {folder}:");
        foreach (var (role, file, _) in collectors)
        {
            // Managed CPU, as docs/BENCHMARKS.md reads profiles: the speedscope export, time under CPU_TIME only.
            // dotnet-trace replaces what follows the last dot of -o with the format's extension: no dot in the name.
            var speedscope = Path.Combine(folder, role.Replace('.', '-'));
            using (var convert = Start("dotnet", "tool", "run", "dotnet-trace", "--", "convert", "--format", "Speedscope", file, "-o", speedscope))
            {
                await convert.StandardOutput.ReadToEndAsync();
                await convert.WaitForExitAsync();
            }

            using var summary = Start("python3", Path.Combine(Environment.CurrentDirectory, "bench", "profile-summary.py"), speedscope + ".speedscope.json", "12");
            var lines = (await summary.StandardOutput.ReadToEndAsync()).Split('\n');
            var errors = await summary.StandardError.ReadToEndAsync();
            if (errors.Length > 0)
            {
                Console.WriteLine($"--- {role}: no summary ({errors.Trim().Split('\n')[^1]})");
                continue;
            }

            var exclusive = lines.SkipWhile(l => !l.Contains("by exclusive", StringComparison.Ordinal)).Skip(1).Where(l => l.Length > 0);
            Console.WriteLine($"--- {role}: {lines.FirstOrDefault()} (top frames by exclusive managed CPU)");
            foreach (var line in exclusive)
            {
                Console.WriteLine(line.Length > 160 ? line[..160] : line);
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
