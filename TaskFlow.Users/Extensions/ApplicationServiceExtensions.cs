using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskFlow.Users.Apis;

namespace TaskFlow.Users.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>API.md: a body over 1 MiB is a 413.</summary>
    public const long MaxRequestBodySize = 1024 * 1024;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // A database outage answers 503 within seconds (DatabaseRetryBudget), not after EF Core's minute of retries.
        builder.AddNpgsqlDbContext<UsersDbContext>("usersdb", settings => settings.DisableRetry = true, options => options.UseNpgsql(npgsql =>
            npgsql.EnableRetryOnFailure(DatabaseRetryBudget.MaxRetryCount, DatabaseRetryBudget.MaxRetryDelay, errorCodesToAdd: null)));
        builder.AddTaskFlowRedisClient("redis");
        builder.AddTaskFlowOpenApi("TaskFlow Users API", "Registration, login (OAuth2/JWT), sessions, profiles and roles.");

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodySize);

        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminAccountOptions>().BindConfiguration(AdminAccountOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminAccountOptions>, AdminAccountOptions.Validator>();

        // Tokens: issued with the key ring, validated by the shared JwtBearer setup fed from the same ring.
        services.AddSingleton(sp => SigningKeyRing.Create(
            sp.GetRequiredService<IOptions<TokenOptions>>().Value,
            builder.Environment.EnvironmentName,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<SigningKeyRing>()));
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<AccessTokenRevocations>();
        services.AddSingleton<SessionRevocation>();
        builder.AddTaskFlowAuthentication();
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, LocalTokenValidation>();
        services.AddAuthorizationBuilder().AddPolicy(UsersApi.AdminPolicy, policy => policy.RequireRole(Roles.Admin));

        services.AddSingleton<PasswordHashing>();
        services.AddScoped<UserEventStaging>();
        // Registered before the relay: hosted services start in order, and the relay needs the migrated outbox table.
        // Under the migration lock, after the migrations: the citext type reload and the configured admin account.
        builder.AddDatabaseMigrations<UsersDbContext>(UsersDatabaseSetup.MigrationLockKey, UsersDatabaseSetup.AfterMigrationAsync);
        services.AddHostedService<StartupWarmUp>();
        builder.AddIntegrationEventPublisher();
        builder.AddEfCoreOutboxRelay<UsersDbContext>();
        return builder;
    }

    public static WebApplication MapUsersEndpoints(this WebApplication app)
    {
        // After MapDefaultEndpoints' error handling, so 401/403 challenges become problem+json too.
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDiscoveryApi();
        app.MapTokensApi();
        app.MapUsersApi();
        return app;
    }
}
