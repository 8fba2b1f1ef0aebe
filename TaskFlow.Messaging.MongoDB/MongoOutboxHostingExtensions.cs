using TaskFlow.Messaging;
using TaskFlow.Messaging.Health;
using TaskFlow.Messaging.Outbox;

namespace Microsoft.Extensions.Hosting;

/// <summary>How a service that stages events inside its MongoDB documents gets them published.</summary>
public static class MongoOutboxHostingExtensions
{
    /// <summary>
    /// Publishes the <c>pendingEvents</c> of the documents in <paramref name="collectionName"/> of the
    /// <see cref="IMongoDatabase"/> registered by <c>AddMongoDBClient</c>, through the registered
    /// <see cref="IIntegrationEventPublisher"/> (add it with <c>AddIntegrationEventPublisher()</c> from
    /// <c>TaskFlow.Messaging.RabbitMQ</c>). See <see cref="PendingEvent"/>. Writers that insert documents get the
    /// collection's <see cref="MongoOutboxHandoff"/> as a keyed service (key: the collection name) to publish from the write path.
    /// </summary>
    public static IHostApplicationBuilder AddMongoOutboxRelay(
        this IHostApplicationBuilder builder,
        string collectionName,
        Action<MongoOutboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMessagingOptions();
        var collectionOptions = new MongoOutboxOptions();
        configure?.Invoke(collectionOptions);
        builder.Services.AddKeyedSingleton(collectionName, (_, _) => new MongoOutboxHandoff(collectionOptions));
        builder.Services.AddKeyedSingleton(collectionName, (sp, _) => new MongoOutboxRelay(
            collectionName,
            collectionOptions,
            sp.GetRequiredService<IMongoDatabase>(),
            sp.GetRequiredService<IIntegrationEventPublisher>(),
            sp.GetRequiredKeyedService<MongoOutboxHandoff>(collectionName),
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
}
