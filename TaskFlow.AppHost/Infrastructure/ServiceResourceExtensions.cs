namespace TaskFlow.AppHost.Infrastructure;

/// <summary>How a TaskFlow service is wired to what it stores in and publishes through.</summary>
public static class ServiceResourceExtensions
{
    /// <summary>
    /// The service's own database (waiting for its server: the database of a local server is only a name), the
    /// shared Redis and RabbitMQ; the service starts once each of them is healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBackingServices(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString> databaseServer,
        IResourceBuilder<IResourceWithConnectionString> redis, IResourceBuilder<IResourceWithConnectionString> rabbitmq) =>
        service
            .WithReference(database).WaitFor(databaseServer)
            .WithReference(redis).WaitFor(redis)
            .WithReference(rabbitmq).WaitFor(rabbitmq);
}
