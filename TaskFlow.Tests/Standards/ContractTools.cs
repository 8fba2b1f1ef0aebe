using System.Diagnostics;
using System.Text;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Standards;

/// <summary>
/// Runs the npm tools and scripts pinned in tests/contract (installed by test.sh's <c>npm ci</c>) as separate
/// processes, the way an outside client would run them, and captures what they print.
/// </summary>
public static class ContractTools
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ContractFolder => Path.Combine(RepositoryRoot, "tests", "contract");

    public static string ExamplesFolder => Path.Combine(ContractFolder, "examples");

    public sealed record ProcessResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary>A tool from tests/contract/node_modules/.bin (portman, newman, ...).</summary>
    public static string Tool(string name)
    {
        var path = Path.Combine(ContractFolder, "node_modules", ".bin", name);
        Assert.True(File.Exists(path), $"{name} is not installed: run `npm ci --prefix tests/contract` (./test.sh does) — looked for {path}.");
        return path;
    }

    /// <summary>
    /// Runs a script with node, from its own client IP: checks/client-ip.mjs (preloaded) adds X-Forwarded-For to its
    /// requests, as the fixture's HttpClients do, so per-IP rate limits of one script never throttle another.
    /// </summary>
    public static Task<ProcessResult> NodeAsync(string script, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null,
        Func<string, Task>? onOutputLine = null)
    {
        var withIp = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["TASKFLOW_CLIENT_IP"] = TaskFlowAppFixture.RandomClientIp(),
        };
        return RunAsync("node", ["--import", "./checks/client-ip.mjs", script], withIp, timeout, onOutputLine);
    }

    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, Func<string, Task>? onOutputLine = null)
    {
        Tool("newman"); // every script here needs tests/contract's packages
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = ContractFolder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = new StringBuilder();
        var readOutput = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }

                if (onOutputLine is not null)
                {
                    await onOutputLine(line);
                }
            }
        });
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await readOutput;
            Assert.Fail($"{file} {string.Join(' ', arguments)} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}:\n{output}\n{await error}");
        }

        await readOutput;
        return new ProcessResult(process.ExitCode, output.ToString().Trim(), (await error).Trim());
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskFlow.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TaskFlow.sln not found above the test binaries.");
    }
}
