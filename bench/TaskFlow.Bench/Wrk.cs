using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TaskFlow.Bench;

/// <summary>What one wrk run measured.</summary>
internal sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

/// <summary>Runs wrk (a separate process, so the load generator is not the harness) and reads its summary.</summary>
internal static partial class Wrk
{
    public static async Task<LoadResult> RunAsync(Uri url, int connections, TimeSpan duration, string? token = null, string? luaScript = null)
    {
        var arguments = new List<string> { "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "10s", "--latency" };
        if (token is not null)
        {
            arguments.AddRange(["-H", $"Authorization: Bearer {token}"]);
        }

        string? scriptPath = null;
        if (luaScript is not null)
        {
            scriptPath = Path.Combine(Path.GetTempPath(), $"taskflow-bench-{Guid.NewGuid():N}.lua");
            await File.WriteAllTextAsync(scriptPath, luaScript);
            arguments.AddRange(["-s", scriptPath]);
        }

        arguments.Add(url.ToString());
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (scriptPath is not null)
        {
            File.Delete(scriptPath);
        }

        var rps = Number(RequestsPerSecond(), output);
        var requests = (long)Number(Requests(), output);
        var errors = (long)(NonSuccess().Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        var socketErrors = SocketErrors().Match(output);
        if (socketErrors.Success)
        {
            errors += socketErrors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        }

        return new LoadResult(rps, Latency(output, "50%"), Latency(output, "99%"), requests, errors);
    }

    private static double Number(Regex pattern, string output) =>
        pattern.Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException("Unexpected wrk output:\n" + output);

    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, @"^\s*" + Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            throw new InvalidOperationException("Unexpected wrk output:\n" + output);
        }

        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
