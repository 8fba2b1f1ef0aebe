namespace TaskFlow.AppHost.LocalMode;

/// <summary>Debian's redis-server as a local process.</summary>
public sealed class LocalRedisResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Port}");
}
