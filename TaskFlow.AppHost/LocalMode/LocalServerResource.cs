namespace TaskFlow.AppHost.LocalMode;

/// <summary>
/// A backing server run as a local process (local mode). Its one endpoint "tcp" is bound directly on a free
/// loopback port (no proxy), and its connection string has the same shape a container's would.
/// </summary>
public abstract class LocalServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public EndpointReference Endpoint => _endpoint ??= new(this, EndpointName);

    protected ReferenceExpression Port => ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.Port)}");

    public abstract ReferenceExpression ConnectionStringExpression { get; }
}
