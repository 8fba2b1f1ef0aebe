using System.Runtime.InteropServices;
using System.Text;
using TaskFlow.AppHost.LocalMode;

namespace TaskFlow.Tests.Faults;

/// <summary>
/// The Erlang VM (beam.smp) of the fixture's local RabbitMQ, found by the node name the AppHost derives from the data
/// root (its RABBITMQ_NODENAME), so a drill pauses this run's broker and never another run's.
/// </summary>
internal static class BrokerProcess
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    public static int Find(string dataRoot)
    {
        var marker = "RABBITMQ_NODENAME=" + LocalRabbitMQResource.NodeNameFor(dataRoot);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).Trim() != "beam.smp")
                {
                    continue;
                }

                var environment = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "environ"))).Split('\0');
                if (environment.Contains(marker))
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }

        throw new InvalidOperationException($"No beam.smp with {marker} is running.");
    }

    /// <summary>The state letter of /proc/&lt;pid&gt;/stat: R, S, D, T (stopped by a signal), Z, ...</summary>
    public static char State(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    /// <summary>Polls the state for up to 5 s until it satisfies <paramref name="condition"/>.</summary>
    public static async Task<bool> WaitForStateAsync(int pid, Func<char, bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition(State(pid)))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public static void Pause(int pid) => Signal(pid, SigStop);

    public static void Resume(int pid) => Signal(pid, SigCont);

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
