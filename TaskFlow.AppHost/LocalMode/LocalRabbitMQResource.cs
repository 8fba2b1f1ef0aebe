namespace TaskFlow.AppHost.LocalMode;

/// <summary>Debian's rabbitmq-server as a local process (guest user, loopback only).</summary>
public sealed class LocalRabbitMQResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{Port}");
}
