using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MongoDB.Driver;
using TaskFlow.Messaging.Publishing;
using TaskFlow.Tasks.Infrastructure;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// The real Tasks app in-process (its own Program, composition, endpoints and repositories), with fakes only at the
/// process edge: a fresh database on the MongoDB stand-in, an unreachable Redis, a broker that is down (staged events
/// stay in their documents), the Users service answered by <c>users</c> and the token issuer's JWKS by <c>issuer</c>.
/// </summary>
public sealed class InProcessTasksApp : IAsyncDisposable
{
    private readonly InProcessMongo _mongo;

    private InProcessTasksApp(InProcessMongo mongo, IMongoDatabase database, WebApplicationFactory<TaskCacheOptions> app)
    {
        _mongo = mongo;
        Database = database;
        App = app;
    }

    public WebApplicationFactory<TaskCacheOptions> App { get; }

    /// <summary>The app's database, for what it stored (documents, staged events).</summary>
    public IMongoDatabase Database { get; }

    public static async Task<InProcessTasksApp> StartAsync(
        Func<HttpMessageHandler> users, TestTokenIssuer? issuer = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var mongo = await InProcessMongo.StartAsync();
        var database = "tasks_" + Guid.NewGuid().ToString("N")[..8];
        var app = new WebApplicationFactory<TaskCacheOptions>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:tasksdb", mongo.ConnectionString.Replace("/?", $"/{database}?", StringComparison.Ordinal));
            web.UseSetting("ConnectionStrings:redis", "127.0.0.1:1,abortConnect=false,connectTimeout=200");
            web.UseSetting("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services =>
            {
                services.RemoveAll<IIntegrationEventPublisher>();
                services.AddSingleton<IIntegrationEventPublisher>(new FlakyBrokerPublisher { Down = true });
                services.AddHttpClient(Microsoft.Extensions.Hosting.AuthenticationExtensions.MetadataHttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => new StubHttpHandler(request =>
                        issuer?.TryAnswer(request) ?? new HttpResponseMessage(HttpStatusCode.NotFound)));
                services.AddHttpClient<UserDirectory>().ConfigurePrimaryHttpMessageHandler(users);
            });
        });
        using var warmup = app.CreateClient();
        return new InProcessTasksApp(mongo, mongo.Client.GetDatabase(database), app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _mongo.DisposeAsync();
    }
}
