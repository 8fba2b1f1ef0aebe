namespace TaskFlow.AppHost.Infrastructure;

/// <summary>
/// How a TaskFlow service is wired to what it stores in and publishes through: it waits only for what it needs at
/// start, so services start while slower backing services still boot (cold start, docs/BENCHMARKS.md).
/// </summary>
public static class ServiceResourceExtensions
{
    /// <summary>A TaskFlow service: its project, its replicas, its runtime settings and its <c>/health</c> as the resource's health check.</summary>
    public static IResourceBuilder<ProjectResource> AddTaskFlowService<TProject>(this IDistributedApplicationBuilder builder, string name, int? replicas = null)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name).WithHttpHealthCheck("/health").WithServiceRuntimeSettings();
        return replicas is int count ? service.WithReplicas(count) : service;
    }

    /// <summary>
    /// The service's own database (waiting for its server: the database of a local server is only a name) and the
    /// shared Redis; the service starts once both are healthy, since it migrates or indexes its store at start.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithStores(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString> databaseServer,
        IResourceBuilder<IResourceWithConnectionString> redis) =>
        service
            .WithReference(database).WaitFor(databaseServer)
            .WithReference(redis).WaitFor(redis);

    /// <summary>
    /// A publisher only needs the broker's address: it stages events in its outbox and its relay publishes them once
    /// the broker answers, so it starts while RabbitMQ is still booting (the slowest backing service to start).
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishingTo(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<IResourceWithConnectionString> rabbitmq) =>
        service.WithReference(rabbitmq);

    /// <summary>A consumer declares its queues when it starts: it waits for the broker.</summary>
    public static IResourceBuilder<ProjectResource> ConsumingFrom(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<IResourceWithConnectionString> rabbitmq) =>
        service.WithReference(rabbitmq).WaitFor(rabbitmq);
}
