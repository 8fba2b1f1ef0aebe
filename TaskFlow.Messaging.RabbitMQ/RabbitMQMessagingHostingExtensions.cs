using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Messaging;
using TaskFlow.Messaging.Health;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How a TaskFlow service plugs into RabbitMQ. Publishing services add the publisher (and an outbox relay from
/// <c>TaskFlow.Messaging.EntityFrameworkCore</c> or <c>TaskFlow.Messaging.MongoDB</c>, which publishes through it);
/// consuming services add a consumer with handlers. The RabbitMQ connection is the one registered by
/// Aspire.RabbitMQ.Client (<c>builder.AddRabbitMQClient("rabbitmq")</c>, added here if the service has not).
/// </summary>
public static class RabbitMQMessagingHostingExtensions
{
    public const string DefaultConnectionName = "rabbitmq";

    /// <summary>Registers the confirm-enabled <see cref="IIntegrationEventPublisher"/> and messaging options.</summary>
    public static IHostApplicationBuilder AddIntegrationEventPublisher(this IHostApplicationBuilder builder, string connectionName = DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRabbitMQMessaging(connectionName);
        builder.Services.TryAddSingleton<IIntegrationEventPublisher, RabbitMQIntegrationEventPublisher>();
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
        builder.AddRabbitMQMessaging(connectionName);

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

    private static void AddRabbitMQMessaging(this IHostApplicationBuilder builder, string connectionName)
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(IConnection)))
        {
            builder.AddRabbitMQClient(connectionName);
        }

        builder.AddMessagingOptions();
    }
}
