using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Messaging.Health;
using TaskFlow.Messaging.Outbox;

namespace Microsoft.Extensions.Hosting;

/// <summary>How a service that stages events in an EF Core (PostgreSQL) outbox gets them published.</summary>
public static class EfCoreOutboxHostingExtensions
{
    /// <summary>
    /// Publishes the <c>outbox_messages</c> rows of <typeparamref name="TDbContext"/> (PostgreSQL; the model must call
    /// <c>modelBuilder.AddOutbox()</c>) through the registered <c>IIntegrationEventPublisher</c> (add it with
    /// <c>AddIntegrationEventPublisher()</c> from <c>TaskFlow.Messaging.RabbitMQ</c>). Safe with several replicas.
    /// </summary>
    public static IHostApplicationBuilder AddEfCoreOutboxRelay<TDbContext>(this IHostApplicationBuilder builder)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMessagingOptions();
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
}
