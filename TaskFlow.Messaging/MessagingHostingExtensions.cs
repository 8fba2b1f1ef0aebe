using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using RabbitMQ.Client;
using TaskFlow.Messaging;
using TaskFlow.Messaging.Consuming;
using TaskFlow.Messaging.Health;
using TaskFlow.Messaging.Outbox;
using TaskFlow.Messaging.Outbox.EfCore;
using TaskFlow.Messaging.Outbox.MongoDB;
using TaskFlow.Messaging.Publishing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How a TaskFlow service plugs into messaging. Publishing services stage events in an outbox and add the matching
/// relay; consuming services add a consumer with handlers. The RabbitMQ connection is the one registered by
/// Aspire.RabbitMQ.Client (<c>builder.AddRabbitMQClient("rabbitmq")</c>, added here if the service has not).
/// </summary>
public static class MessagingHostingExtensions
{
    public const string DefaultConnectionName = "rabbitmq";

    /// <summary>Registers the confirm-enabled <see cref="IIntegrationEventPublisher"/> and messaging options.</summary>
    public static IHostApplicationBuilder AddIntegrationEventPublisher(this IHostApplicationBuilder builder, string connectionName = DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMessagingCore(connectionName);
        builder.Services.TryAddSingleton<IIntegrationEventPublisher, RabbitMQIntegrationEventPublisher>();
        return builder;
    }

    /// <summary>
    /// Publishes the <c>outbox_messages</c> rows of <typeparamref name="TDbContext"/> (PostgreSQL; the model must call
    /// <c>modelBuilder.AddOutbox()</c>). Safe with several replicas.
    /// </summary>
    public static IHostApplicationBuilder AddEfCoreOutboxRelay<TDbContext>(this IHostApplicationBuilder builder, string connectionName = DefaultConnectionName)
        where TDbContext : DbContext
    {
        builder.AddIntegrationEventPublisher(connectionName);
        builder.Services.TryAddSingleton<OutboxRelayState<TDbContext>>();
        builder.Services.AddHostedService<EfCoreOutboxRelay<TDbContext>>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"outbox-{typeof(TDbContext).Name}",
            sp => ActivatorUtilities.CreateInstance<EfCoreOutboxHealthCheck<TDbContext>>(sp),
            HealthStatus.Degraded,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        return builder;
    }

    /// <summary>
    /// Publishes the <c>pendingEvents</c> of the documents in <paramref name="collectionName"/> of the
    /// <see cref="IMongoDatabase"/> registered by <c>AddMongoDBClient</c>. See <see cref="PendingEvent"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMongoOutboxRelay(
        this IHostApplicationBuilder builder,
        string collectionName,
        Action<MongoOutboxOptions>? configure = null,
        string connectionName = DefaultConnectionName)
    {
        builder.AddIntegrationEventPublisher(connectionName);
        var collectionOptions = new MongoOutboxOptions();
        configure?.Invoke(collectionOptions);
        builder.Services.AddKeyedSingleton(collectionName, (sp, _) => new MongoOutboxRelay(
            collectionName,
            collectionOptions,
            sp.GetRequiredService<IMongoDatabase>(),
            sp.GetRequiredService<IIntegrationEventPublisher>(),
            sp.GetRequiredService<IOptions<MessagingOptions>>().Value,
            new OutboxRelayState(),
            sp.GetRequiredService<ILogger<MongoOutboxRelay>>()));
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<MongoOutboxRelay>(collectionName));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"outbox-mongo-{collectionName}",
            sp => new MongoOutboxHealthCheck(sp.GetRequiredKeyedService<MongoOutboxRelay>(collectionName), sp.GetRequiredService<IOptions<MessagingOptions>>()),
            HealthStatus.Degraded,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        return builder;
    }

    /// <summary>
    /// Consumes the durable queue <paramref name="queueName"/> (declared with its bindings, retry queue and
    /// dead-letter exchange/queue <c>{queue}.dlq</c>). Add handlers on the returned builder.
    /// </summary>
    public static IntegrationEventConsumerBuilder AddIntegrationEventConsumer(
        this IHostApplicationBuilder builder,
        string queueName,
        Action<IntegrationEventConsumerOptions>? configure = null,
        string connectionName = DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        builder.AddMessagingCore(connectionName);

        var options = new IntegrationEventConsumerOptions { QueueName = queueName };
        builder.Configuration.GetSection($"{MessagingOptions.SectionName}:Consumers:{queueName}").Bind(options);
        configure?.Invoke(options);
        options.QueueName = queueName;

        var handlers = new HandlerTable();
        var state = new ConsumerState();
        builder.Services.AddSingleton<IHostedService>(sp => new IntegrationEventConsumer(
            options,
            handlers,
            sp,
            state,
            sp.GetRequiredService<ILogger<IntegrationEventConsumer>>()));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"consumer-{queueName}",
            _ => new ConsumerHealthCheck(options, state),
            HealthStatus.Degraded,
            ["ready"]));
        return new IntegrationEventConsumerBuilder(builder.Services, queueName, handlers);
    }

    private static void AddMessagingCore(this IHostApplicationBuilder builder, string connectionName)
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(IConnection)))
        {
            builder.AddRabbitMQClient(connectionName);
        }

        builder.Services.AddOptions<MessagingOptions>()
            .Bind(builder.Configuration.GetSection(MessagingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}
