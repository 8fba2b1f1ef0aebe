namespace TaskFlow.AppHost.LocalMode;

/// <summary>Debian's PostgreSQL server as a local process; its databases are created by the start script.</summary>
public sealed class LocalPostgresServerResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public List<string> DatabaseNames { get; } = [];

    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port};Username=postgres");
}
