using System.Globalization;

namespace TaskFlow.Bench;

/// <summary>CPU time (user + system) of the system's processes, read from /proc, grouped by role.</summary>
internal static class ProcessCpu
{
    /// <summary>The TaskFlow service processes (MongoDB stand-in included) and the other backing servers.</summary>
    public static readonly string[] Services = ["TaskFlow.Gateway", "TaskFlow.Tasks", "TaskFlow.Notifier", "TaskFlow.Users", "TaskFlow.Webhooks", "TaskFlow.MongoStandIn"];
    public static readonly string[] Backing = ["postgres", "redis-server", "beam.smp"];

    private static readonly double TicksPerSecond = 100;

    /// <summary>
    /// Seconds of CPU per role since each process started, counting only processes of this run: those whose command line
    /// names one of <paramref name="markers"/> (the repository's folder, the run's data folder) or whose environment
    /// names the run's data folder (the local RabbitMQ), and their descendants, so other work on a shared
    /// machine is not counted.
    /// </summary>
    public static Dictionary<string, double> Snapshot(IReadOnlyList<string> markers)
    {
        var processes = new Dictionary<int, (int Parent, string CommandLine, string Environment, double Seconds)>();
        // RabbitMQ names no folder of the run on its command line; its environment holds the data folder.
        var dataMarkers = markers.Where(m => m.StartsWith(Path.GetTempPath(), StringComparison.Ordinal)).ToList();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var command = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // Fields after the command: state(0) ppid(1) ... utime(11) stime(12).
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var environment = dataMarkers.Count > 0 ? File.ReadAllText(Path.Combine(directory, "environ")) : "";
                processes[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), command + " " + commandLine, environment, ticks / TicksPerSecond);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
            }
        }

        bool Ours(int pid)
        {
            for (var depth = 0; depth < 16; depth++)
            {
                if (!processes.TryGetValue(pid, out var process))
                {
                    return false;
                }

                if (markers.Any(m => process.CommandLine.Contains(m, StringComparison.Ordinal))
                    || dataMarkers.Any(m => process.Environment.Contains(m, StringComparison.Ordinal)))
                {
                    return true;
                }

                pid = process.Parent;
            }

            return false;
        }

        var result = Services.Concat(Backing).ToDictionary(r => r, _ => 0.0);
        foreach (var (pid, process) in processes)
        {
            // The services' own processes, not the "dotnet run" launchers in front of them.
            if (process.CommandLine.Contains(" dotnet run ", StringComparison.Ordinal) || !Ours(pid))
            {
                continue;
            }

            if (result.Keys.FirstOrDefault(r => process.CommandLine.Contains(r, StringComparison.Ordinal)) is { } role)
            {
                result[role] += process.Seconds;
            }
        }

        return result;
    }

    /// <summary>One process id per TaskFlow service of this run (the first found), for profiling.</summary>
    public static IReadOnlyList<(string Role, int Pid)> FirstProcessPerService(IReadOnlyList<string> markers) =>
        [.. AllProcesses(markers).GroupBy(p => p.Role).Select(g => g.First())];

    /// <summary>Every process of a TaskFlow service of this run, by role (not the "dotnet run" launchers).</summary>
    private static IEnumerable<(string Role, int Pid)> AllProcesses(IReadOnlyList<string> markers)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc").OrderBy(d => d.Length).ThenBy(d => d, StringComparer.Ordinal))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }

            if (commandLine.StartsWith("dotnet run", StringComparison.Ordinal) || !markers.Any(m => commandLine.Contains(m, StringComparison.Ordinal)))
            {
                continue;
            }

            if (Services.FirstOrDefault(r => commandLine.Contains(r, StringComparison.Ordinal)) is { } role)
            {
                yield return (role, pid);
            }
        }
    }

    /// <summary>
    /// The URLs each process of <paramref name="role"/> listens on itself (ASPNETCORE_URLS from its environment): behind
    /// the Aspire proxy that fronts replicas in local mode, these are the services' own ports.
    /// </summary>
    public static IReadOnlyList<Uri> OwnUrls(string role, IReadOnlyList<string> markers)
    {
        var urls = new List<Uri>();
        foreach (var (candidate, pid) in AllProcesses(markers))
        {
            if (candidate != role)
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
                var value = environment.FirstOrDefault(e => e.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal))?["ASPNETCORE_URLS=".Length..];
                urls.AddRange((value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
                    .Where(u => u.StartsWith("http://", StringComparison.Ordinal)).Select(u => new Uri(u)).Take(1));
            }
            catch (IOException)
            {
            }
        }

        return urls;
    }

    public static Dictionary<string, double> Since(Dictionary<string, double> before, IReadOnlyList<string> markers) =>
        Snapshot(markers).ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));

    /// <summary>
    /// Waits until this run's processes (services and backing servers) together use less than
    /// <paramref name="cores"/> of a core for two seconds in a row, i.e. the work a load left behind (relaying,
    /// consuming, storing, pushing) is done; at most <paramref name="limit"/>. Returns how long it waited.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilQuietAsync(IReadOnlyList<string> markers, double cores, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = Snapshot(markers);
        var lastAt = clock.Elapsed;
        var quietSeconds = 0;
        while (quietSeconds < 2 && clock.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = Snapshot(markers);
            var at = clock.Elapsed;
            var used = now.Sum(p => p.Value - last.GetValueOrDefault(p.Key)) / (at - lastAt).TotalSeconds;
            (last, lastAt) = (now, at);
            quietSeconds = used < cores ? quietSeconds + 1 : 0;
        }

        return clock.Elapsed;
    }
}
