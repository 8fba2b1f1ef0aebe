using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaskFlow.Tasks.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMongoDBClient("tasksdb");
        // No MongoDB server (none selected in time, a dropped connection) is an outage: 503 with Retry-After.
        builder.Services.Configure<StoreUnavailableOptions>(options => options.ExceptionTypes.AddRange(MongoDBClientExtensions.ServerUnavailableExceptions));
        // Events are staged in the documents they describe; the library relays them (tasks: tombstones included).
        builder.AddIntegrationEventPublisher();
        builder.AddMongoOutboxRelay(TaskDocument.CollectionName);
        builder.AddMongoOutboxRelay(CommentDocument.CollectionName, outbox => outbox.TombstoneField = null);
        builder.AddTaskFlowAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TasksApi.CallerPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User) is not null));

        builder.AddTaskCaching();

        builder.Services.AddServiceClient<UserDirectory>(UserDirectory.UsersService);

        builder.Services.AddSingleton<TaskRepository>();
        builder.Services.AddSingleton<CommentRepository>();
        builder.Services.AddSingleton<TaskEventOutbox>();
        builder.Services.AddHostedService<MongoIndexInitializer>();
        // Scoped: the Users lookup is a typed HttpClient, which must not be held longer than its handler lifetime.
        builder.Services.AddScoped<TaskCommands>();
        builder.Services.AddSingleton<TaskReads>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddTaskFlowOpenApi("TaskFlow Tasks API", "Tasks and their comments.");
        return builder;
    }

    /// <summary>
    /// HybridCache with Redis as L2 over the Aspire-managed connection. Redis is optional for this service: its
    /// health check reports Degraded (Aspire's own Redis check, which would say Unhealthy, is turned off).
    /// </summary>
    private static IHostApplicationBuilder AddTaskCaching(this IHostApplicationBuilder builder)
    {
        builder.AddOptionalRedisClient("redis");

        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, sp) =>
        {
            options.InstanceName = "taskflow-tasks:";
            options.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>());
        });
        builder.Services.AddHybridCache(options => options.MaximumPayloadBytes = 1024 * 1024);

        builder.Services.AddOptions<TaskCacheOptions>()
            .Bind(builder.Configuration.GetSection(TaskCacheOptions.SectionName))
            .Validate(o => o.Expiration > TimeSpan.Zero && o.LocalExpiration > TimeSpan.Zero && o.LocalExpiration <= o.Expiration,
                "TaskCache expirations must be positive, the local one no longer than the distributed one.")
            .Validate(o => o.StampLease >= TimeSpan.FromSeconds(1) && o.StampLease <= TimeSpan.FromMinutes(5),
                "TaskCache:StampLease must be between 1 second and 5 minutes.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TaskVersionStamps>();
        builder.Services.AddSingleton<TaskCache>();
        return builder;
    }
}
