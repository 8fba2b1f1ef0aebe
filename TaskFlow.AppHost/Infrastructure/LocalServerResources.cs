namespace TaskFlow.AppHost.Infrastructure;

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

public sealed class LocalPostgresServerResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public List<string> DatabaseNames { get; } = [];

    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port};Username=postgres");
}

public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{parent.ConnectionStringExpression};Database={databaseName}");
}

public sealed class LocalRedisResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Port}");
}

public sealed class LocalRabbitMQResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{Port}");
}

/// <summary>The repo's MongoDB-wire-compatible server (TaskFlow.MongoStandIn).</summary>
public sealed class MongoStandInResource(string name, string workingDirectory) : LocalServerResource(name, workingDirectory)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"mongodb://127.0.0.1:{Port}");
}

/// <summary>MongoDB from the official image (containers and publish mode); Aspire.Hosting.MongoDB is not available here.</summary>
public sealed class MongoDBContainerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public EndpointReference Endpoint => _endpoint ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create(
            $"mongodb://{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}");
}

/// <summary>A database on either MongoDB server; its connection string names the database, like Aspire's.</summary>
public sealed class MongoDBDatabaseResource(string name, string databaseName, IResourceWithConnectionString parent)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public IResourceWithConnectionString Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{parent.ConnectionStringExpression}/{databaseName}");
}
