namespace TaskFlow.AppHost.Infrastructure;

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
