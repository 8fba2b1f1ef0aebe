namespace TaskFlow.AppHost.LocalMode;

/// <summary>The repo's MongoDB-wire-compatible server (dev/TaskFlow.MongoStandIn).</summary>
public sealed class MongoStandInResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"mongodb://127.0.0.1:{Port}");
}
