using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskFlow.Notifier.IntegrationEvents;

namespace TaskFlow.Notifier.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // A database outage answers 503 within seconds (DatabaseRetryBudget), not after EF Core's minute of retries.
        builder.AddNpgsqlDbContext<NotificationsDbContext>(NotifierResources.Database, settings => settings.DisableRetry = true, options => options.UseNpgsql(npgsql =>
            npgsql.EnableRetryOnFailure(TaskFlow.ServiceDefaults.Errors.DatabaseRetryBudget.MaxRetryCount, TaskFlow.ServiceDefaults.Errors.DatabaseRetryBudget.MaxRetryDelay, errorCodesToAdd: null)));
        // Before the other hosted services: the consumer and the fan-out start on a migrated database, the server after all.
        builder.AddDatabaseMigrations<NotificationsDbContext>(NotifierResources.MigrationLockKey);
        // Redis holds Idempotency-Key records only; without it keyed requests get 503 and the rest keeps working.
        builder.AddOptionalRedisClient(NotifierResources.Redis);
        builder.AddTaskFlowAuthentication();
        builder.AddTaskFlowOpenApi("TaskFlow Notifications API", "The caller's notification inbox and its live stream.");
        builder.Services.AddSingleton(TimeProvider.System);

        // Task events → notifications (queue "notifier", its retry queue and dead-letter queue "notifier.dlq"), in
        // batches of what the broker has prefetched, each batch one statement without EF Core (NotificationInserts).
        builder.Services.AddSingleton<NotificationInserts>();
        builder.AddIntegrationEventConsumer(NotifierResources.Queue, connectionName: NotifierResources.Broker)
            .AddBatchHandler<TaskCreated, TaskNotificationHandler>()
            .AddBatchHandler<TaskUpdated, TaskNotificationHandler>()
            .AddBatchHandler<TaskAssigned, TaskNotificationHandler>()
            .AddBatchHandler<TaskCommentAdded, TaskNotificationHandler>();

        // Live streams on every replica hear every new notification through PostgreSQL LISTEN/NOTIFY.
        builder.Services.AddSingleton<NotificationStreamHub>();
        builder.Services.AddOptions<NotificationStreamOptions>()
            .BindConfiguration(NotificationStreamOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<NotificationFanout>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationFanout>());
        builder.Services.AddHealthChecks().AddCheck<FanoutHealthCheck>("notification-fanout", HealthStatus.Degraded, ["ready"]);
        return builder;
    }

    private sealed class FanoutHealthCheck(NotificationFanout fanout) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(fanout.Listening
                ? HealthCheckResult.Healthy("Listening for new notifications.")
                : new HealthCheckResult(context.Registration.FailureStatus, "Not listening for new notifications (live streams paused)."));
    }
}
