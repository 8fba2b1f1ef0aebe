using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.AppHost.LocalMode;

namespace TaskFlow.AppHost.Infrastructure;

/// <summary>
/// The one seam between the two infrastructure modes: one method per backing service that returns a resource
/// with a connection string, backed by an official container image or by a local process. Services only see
/// connection strings, so they never know which mode runs.
/// </summary>
public static class BackingServiceExtensions
{
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, TaskFlowHostSettings> Settings = new();

    public static TaskFlowHostSettings GetTaskFlowSettings(this IDistributedApplicationBuilder builder) =>
        Settings.GetValue(builder, TaskFlowHostSettings.Resolve);

    public static IResourceBuilder<IResourceWithConnectionString> AddTaskFlowPostgres(this IDistributedApplicationBuilder builder, string name)
    {
        var settings = builder.GetTaskFlowSettings();
        if (settings.Mode == InfrastructureMode.Containers)
        {
            return builder.AddPostgres(name).WithDataVolume("taskflow-postgres-data");
        }

        var dataDirectory = DataDirectory(settings, name);
        var server = new LocalPostgresServerResource(name, settings.DataRoot);
        var resource = builder.AddResource(server)
            .WithArgs("-c", LocalScripts.Postgres)
            .WithEnvironment("PG_DATA_DIR", dataDirectory)
            .WithEnvironment(context => context.EnvironmentVariables["PG_DATABASES"] = string.Join(' ', server.DatabaseNames))
            .WithLocalEndpoint(builder, "PG_PORT", port => TcpProbeHealthCheck.Postgres(port));

        // Databases are created by the start script; tell the dashboard they are there once the server is.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (e, ct) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in builder.Resources.OfType<DatabaseResource>().Where(d => d.Parent == server))
            {
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running });
            }
        });

        return resource;
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddTaskFlowDatabase(
        this IResourceBuilder<IResourceWithConnectionString> server, string databaseName)
    {
        var builder = server.ApplicationBuilder;
        switch (server.Resource)
        {
            case Aspire.Hosting.ApplicationModel.PostgresServerResource postgres:
                return builder.CreateResourceBuilder(postgres).AddDatabase(databaseName);
            case LocalPostgresServerResource local:
                local.DatabaseNames.Add(databaseName);
                return builder.AddDatabase(local, databaseName, DatabaseResource.PostgresSeparator, "PostgresDatabase", KnownResourceStates.Waiting);
            case MongoStandInResource or MongoDBContainerResource:
                return builder.AddDatabase(server.Resource, databaseName, DatabaseResource.MongoDBSeparator, "MongoDBDatabase", KnownResourceStates.Running);
            default:
                throw new NotSupportedException($"'{server.Resource.Name}' has no databases.");
        }
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddTaskFlowRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var settings = builder.GetTaskFlowSettings();
        if (settings.Mode == InfrastructureMode.Containers)
        {
            return builder.AddRedis(name).WithDataVolume("taskflow-redis-data");
        }

        return builder.AddResource(new LocalRedisResource(name, settings.DataRoot))
            .WithArgs("-c", LocalScripts.Redis)
            .WithEnvironment("REDIS_DATA_DIR", DataDirectory(settings, name))
            .WithLocalEndpoint(builder, "REDIS_PORT", TcpProbeHealthCheck.Redis);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddTaskFlowRabbitMQ(this IDistributedApplicationBuilder builder, string name)
    {
        var settings = builder.GetTaskFlowSettings();
        if (settings.Mode == InfrastructureMode.Containers)
        {
            return builder.AddRabbitMQ(name).WithManagementPlugin().WithDataVolume("taskflow-rabbitmq-data");
        }

        // A free distribution port each start (nothing persists under it); the node name, and with it the data
        // directory, stays the same for one data root.
        var distributionPort = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nodeName = LocalRabbitMQResource.NodeNameFor(settings.DataRoot);
        return builder.AddResource(new LocalRabbitMQResource(name, settings.DataRoot))
            .WithArgs("-c", LocalScripts.RabbitMQ)
            .WithEnvironment("RABBIT_DATA_DIR", DataDirectory(settings, name))
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort)
            .WithEnvironment("RABBITMQ_NODENAME", nodeName)
            .WithLocalEndpoint(builder, "RABBITMQ_NODE_PORT", TcpProbeHealthCheck.Amqp);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddTaskFlowMongoDB(this IDistributedApplicationBuilder builder, string name)
    {
        var settings = builder.GetTaskFlowSettings();
        if (settings.Mode == InfrastructureMode.Containers)
        {
            return builder.AddResource(new MongoDBContainerResource(name))
                .WithImage("mongo", "7.0")
                .WithImageRegistry("docker.io")
                .WithEndpoint(targetPort: 27017, name: MongoDBContainerResource.EndpointName, scheme: "tcp")
                .WithVolume("taskflow-mongo-data", "/data/db");
        }

        return builder.AddResource(new MongoStandInResource(name, settings.DataRoot))
            .WithArgs("-c", LocalScripts.MongoStandIn)
            .WithEnvironment("MONGO_STANDIN_DLL", RepositoryLayout.MongoStandInAssembly)
            .WithEnvironment("MONGO_DATA_DIR", DataDirectory(settings, name))
            .WithServiceRuntimeSettings()
            .WithLocalEndpoint(builder, "MONGO_PORT", TcpProbeHealthCheck.MongoPing);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddDatabase(this IDistributedApplicationBuilder builder,
        IResourceWithConnectionString server, string databaseName, string separator, string resourceType, string state) =>
        builder.AddResource(new DatabaseResource(databaseName, databaseName, server, separator))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = resourceType, State = state, Properties = [] });

    private static IResourceBuilder<T> WithLocalEndpoint<T>(
        this IResourceBuilder<T> resource, IDistributedApplicationBuilder builder, string portVariable, Func<Func<int>, IHealthCheck> probe)
        where T : LocalServerResource
    {
        var port = FreePort.Next();
        var checkName = $"{resource.Resource.Name}-ready";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(checkName, _ => probe(() => port), null, null));
        return resource
            .WithEndpoint(name: LocalServerResource.EndpointName, scheme: "tcp", port: port, targetPort: port, env: portVariable, isProxied: false)
            .WithHealthCheck(checkName);
    }

    private static string DataDirectory(TaskFlowHostSettings settings, string name)
    {
        // Executables whose directories are missing hang the AppHost at start: create them before Build().
        var path = Path.Combine(settings.DataRoot, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
