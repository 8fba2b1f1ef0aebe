using Microsoft.Extensions.Configuration;
using TaskFlow.Messaging.MongoDB;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers MongoDB.Driver the way Aspire's client integrations register theirs (Aspire.MongoDB.Driver is
/// not available here): the connection string comes from <c>ConnectionStrings:{name}</c> (an Aspire
/// reference), <see cref="IMongoClient"/> and the <see cref="IMongoDatabase"/> named in that connection string
/// are singletons, a ping health check reports the server, and slow or failed driver commands become spans
/// (<see cref="MongoCommandTracer"/>; <c>MongoDB:SlowCommandThreshold</c>, 100 ms by default).
/// </summary>
public static class MongoDBClientExtensions
{
    public const string ActivitySourceName = MongoCommandTracer.ActivitySourceName;
    public const string SlowCommandThresholdKey = "MongoDB:SlowCommandThreshold";

    /// <summary>
    /// The driver's exceptions for "no server" (none selected in time, a dropped connection): an outage, not a bug in
    /// the request. A web service adds them to ServiceDefaults' <c>StoreUnavailableOptions</c> so they answer 503.
    /// </summary>
    public static IReadOnlyList<Type> ServerUnavailableExceptions { get; } = [typeof(MongoConnectionException), typeof(MongoExecutionTimeoutException)];

    public static IHostApplicationBuilder AddMongoDBClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is missing; reference the '{connectionName}' resource from the AppHost.");
        }

        var url = MongoUrl.Create(connectionString);
        var databaseName = url.DatabaseName ?? connectionName;
        var slow = builder.Configuration.GetValue(SlowCommandThresholdKey, MongoCommandTracer.DefaultSlowThreshold);

        builder.Services.AddSingleton<IMongoClient>(_ =>
        {
            var settings = MongoClientSettings.FromUrl(url);
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
            settings.ClusterConfigurator = cluster => cluster.Subscribe(new MongoCommandTracer(slow));
            return new MongoClient(settings);
        });
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IMongoClient>().GetDatabase(databaseName));

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"mongodb-{connectionName}",
            sp => new MongoPingHealthCheck(sp.GetRequiredService<IMongoDatabase>()),
            failureStatus: null,
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(5)));

        return builder;
    }

    private sealed class MongoPingHealthCheck(IMongoDatabase database) : IHealthCheck
    {
        private static readonly BsonDocumentCommand<BsonDocument> Ping = new(new BsonDocument("ping", 1));

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await database.RunCommandAsync(Ping, cancellationToken: cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException or OperationCanceledException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "MongoDB did not answer ping.");
            }
        }
    }
}
