using System.Security.Cryptography;
using System.Text;

namespace TaskFlow.AppHost.LocalMode;

/// <summary>Debian's rabbitmq-server as a local process (guest user, loopback only).</summary>
public sealed class LocalRabbitMQResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{Port}");

    /// <summary>
    /// The Erlang node name of the broker kept under <paramref name="dataRoot"/>. RabbitMQ names its data directory
    /// after the node, so the name must stay the same across restarts of one checkout (or messages still queued are
    /// left behind in the old directory) and differ between data roots (two checkouts or test runs on one machine
    /// must not meet in epmd): a short hash of the data root's full path.
    /// </summary>
    public static string NodeNameFor(string dataRoot)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataRoot)));
        return "taskflow-" + Convert.ToHexStringLower(hash)[..12] + "@localhost";
    }
}
