using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers MongoDB.Driver the way Aspire's client integrations register theirs (Aspire.MongoDB.Driver is
/// not available here): the connection string comes from <c>ConnectionStrings:{name}</c> (an Aspire
/// reference), <see cref="IMongoClient"/> and the <see cref="IMongoDatabase"/> named in that connection string
/// are singletons, a ping health check reports the server, and every driver command becomes a span.
/// </summary>
public static class MongoDBClientExtensions
{
    public const string ActivitySourceName = "TaskFlow.MongoDB";
    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

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

        builder.Services.AddSingleton<IMongoClient>(_ =>
        {
            var settings = MongoClientSettings.FromUrl(url);
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
            settings.ClusterConfigurator = cluster => cluster.Subscribe(new CommandTracer());
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

    /// <summary>One client span per driver command, following the OpenTelemetry database conventions.</summary>
    private sealed class CommandTracer : IEventSubscriber
    {
        private readonly ReflectionEventSubscriber _inner;
        private readonly ConcurrentDictionary<int, Activity> _activities = new();

        public CommandTracer() => _inner = new ReflectionEventSubscriber(this);

        public bool TryGetEventHandler<TEvent>(out Action<TEvent> handler) => _inner.TryGetEventHandler(out handler);

        public void Handle(CommandStartedEvent e)
        {
            if (e.CommandName is "hello" or "isMaster" or "ismaster" or "saslStart" or "saslContinue")
            {
                return;
            }

            var activity = ActivitySource.StartActivity($"{e.CommandName} {e.DatabaseNamespace.DatabaseName}", ActivityKind.Client);
            if (activity is null)
            {
                return;
            }

            activity.SetTag("db.system", "mongodb");
            activity.SetTag("db.namespace", e.DatabaseNamespace.DatabaseName);
            activity.SetTag("db.operation.name", e.CommandName);
            if (e.Command.TryGetValue(e.CommandName, out var collection) && collection.IsString)
            {
                activity.SetTag("db.collection.name", collection.AsString);
                activity.DisplayName = $"{e.CommandName} {collection.AsString}";
            }

            if (e.ConnectionId?.ServerId?.EndPoint is System.Net.DnsEndPoint dns)
            {
                activity.SetTag("server.address", dns.Host);
                activity.SetTag("server.port", dns.Port);
            }

            _activities[e.RequestId] = activity;
        }

        public void Handle(CommandSucceededEvent e)
        {
            if (_activities.TryRemove(e.RequestId, out var activity))
            {
                activity.Stop();
            }
        }

        public void Handle(CommandFailedEvent e)
        {
            if (_activities.TryRemove(e.RequestId, out var activity))
            {
                activity.SetStatus(ActivityStatusCode.Error, e.Failure.GetType().Name);
                activity.SetTag("error.type", e.Failure is MongoCommandException mce ? mce.CodeName : e.Failure.GetType().Name);
                activity.Stop();
            }
        }
    }
}
