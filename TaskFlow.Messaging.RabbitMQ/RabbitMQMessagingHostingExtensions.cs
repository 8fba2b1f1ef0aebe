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

    /// <summary>The name of the broker's entry in a service's health report (Degraded while the broker is away).</summary>
    public const string BrokerHealthCheckName = "rabbitmq";

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

    /// <summary>
    /// The broker connection, registered once per service. Aspire's own RabbitMQ health check is off: it reports
    /// Unhealthy (and waits on a channel while the broker hangs), which would take the service out of the gateway's
    /// rotation although no request needs the broker. The <c>rabbitmq</c> check here reports Degraded instead and
    /// answers within <see cref="BrokerHealthCheck.ProbeTimeout"/>. Short connect and handshake timeouts keep the
    /// connection's recovery (and the relay) from waiting long on a broker that accepts but does not answer.
    /// </summary>
    private static void AddRabbitMQMessaging(this IHostApplicationBuilder builder, string connectionName)
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(IConnection)))
        {
            builder.AddRabbitMQClient(
                connectionName,
                settings => settings.DisableHealthChecks = true,
                factory =>
                {
                    factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
                    factory.HandshakeContinuationTimeout = TimeSpan.FromSeconds(5);
                    factory.ContinuationTimeout = TimeSpan.FromSeconds(10);
                });
        }

        if (!builder.Services.Any(d => d.ServiceType == typeof(BrokerHealthCheckMarker)))
        {
            builder.Services.AddSingleton<BrokerHealthCheckMarker>();
            var connectionString = builder.Configuration.GetConnectionString(connectionName);
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                BrokerHealthCheckName,
                _ => new BrokerHealthCheck(connectionString),
                HealthStatus.Degraded,
                ["broker"],
                BrokerHealthCheck.ProbeTimeout + TimeSpan.FromMilliseconds(500)));
        }

        builder.AddMessagingOptions();
    }

    /// <summary>Registered once with the broker check, so a service that publishes and consumes gets one check.</summary>
    private sealed class BrokerHealthCheckMarker;
}
