using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Webhooks.IntegrationEvents;

namespace TaskFlow.Webhooks.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // A database outage answers 503 within seconds (DatabaseRetryBudget), not after EF Core's minute of retries.
        builder.AddNpgsqlDbContext<WebhooksDbContext>(WebhooksResources.Database, settings => settings.DisableRetry = true, options => options.UseNpgsql(npgsql =>
            npgsql.EnableRetryOnFailure(TaskFlow.ServiceDefaults.Errors.DatabaseRetryBudget.MaxRetryCount, TaskFlow.ServiceDefaults.Errors.DatabaseRetryBudget.MaxRetryDelay, errorCodesToAdd: null)));
        // Before the other hosted services: the consumer and the delivery worker start on a migrated database.
        // Then, under the same lock, the key ring's first key (KeyRingBootstrap), so replicas starting together share one.
        builder.AddDatabaseMigrations<WebhooksDbContext>(WebhooksResources.MigrationLockKey, KeyRingBootstrap.EnsureKeyAsync);
        // Redis holds Idempotency-Key records only; without it keyed requests get 503 and the rest keeps working.
        builder.AddOptionalRedisClient(WebhooksResources.Redis);
        builder.AddTaskFlowAuthentication();
        builder.AddTaskFlowOpenApi("TaskFlow Webhooks API", "Signed (Standard Webhooks), retried, replayable delivery of task events to the caller's own URLs.");

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Secrets are encrypted at rest; the key ring in webhooksdb is encrypted with a key-encryption key kept elsewhere.
        services.AddSecretProtection();
        services.AddSingleton<DestinationPolicy>();
        services.AddScoped<WebhookReads>();
        services.AddScoped<WebhookCommands>();

        // Task events → pending deliveries (queue "webhooks", its retry queue and dead-letter queue "webhooks.dlq");
        // user events keep the set of admins, who see every task. In batches of what the broker has prefetched, one
        // handler for all of them so that a batch is one transaction without EF Core (DeliveryInserts).
        services.AddSingleton<DeliveryInserts>();
        builder.AddIntegrationEventConsumer(WebhooksResources.Queue, connectionName: WebhooksResources.Broker)
            .AddBatchHandler<TaskCreated, TaskWebhookHandler>()
            .AddBatchHandler<TaskUpdated, TaskWebhookHandler>()
            .AddBatchHandler<TaskAssigned, TaskWebhookHandler>()
            .AddBatchHandler<TaskDeleted, TaskWebhookHandler>()
            .AddBatchHandler<TaskCommentAdded, TaskWebhookHandler>()
            .AddBatchHandler<UserRegistered, TaskWebhookHandler>()
            .AddBatchHandler<UserUpdated, TaskWebhookHandler>();

        builder.AddWebhookDelivery();
        return builder;
    }

    /// <summary>
    /// The delivery client and worker. The client resolves and checks every destination itself and connects to the
    /// address it checked (<see cref="GuardedConnector"/>), follows no redirect, and has no resilience handler: the
    /// worker owns retries (by the contract's schedule, not within one attempt).
    /// </summary>
    private static void AddWebhookDelivery(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookSender>();
        var http = services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AttemptTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                MaxResponseHeadersLength = 16,
                ConnectCallback = new GuardedConnector(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowLoopback).ConnectAsync,
            });
#pragma warning disable EXTEXP0001 // ServiceDefaults adds the standard resilience handler to every client; this one must not retry.
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddHostedService<DeliveryWorker>();
    }
}
