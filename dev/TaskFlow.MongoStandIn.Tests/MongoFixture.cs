using MongoDB.Bson;
using MongoDB.Driver;

namespace TaskFlow.MongoStandIn.Tests;

/// <summary>
/// Hosts the stand-in in-process on a free port with a temporary data directory, unless
/// <c>TASKFLOW_TEST_MONGODB</c> holds a connection string: then every test runs against that real MongoDB.
/// </summary>
public sealed class MongoFixture : IAsyncLifetime
{
    public const string EnvVar = "TASKFLOW_TEST_MONGODB";

    private readonly List<string> _databases = [];

    public IMongoClient Client { get; private set; } = null!;

    public MongoStandInServer? Server { get; private set; }

    public string? DataDirectory { get; private set; }

    /// <summary>Always the in-process stand-in, also in real-MongoDB mode: tests of the stand-in itself use it.</summary>
    public IMongoClient StandInClient { get; private set; } = null!;

    public bool IsRealMongo => ExternalConnectionString is not null;

    public static string? ExternalConnectionString => Environment.GetEnvironmentVariable(EnvVar) is { Length: > 0 } cs ? cs : null;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "mongostandin-tests-" + Guid.NewGuid().ToString("N"));
        Server = await MongoStandInServer.StartAsync(new MongoStandInOptions { Port = 0, DataDirectory = DataDirectory });
        StandInClient = CreateClient(Server.ConnectionString);
        ConnectionString = ExternalConnectionString ?? Server.ConnectionString;
        Client = ConnectionString == Server.ConnectionString ? StandInClient : CreateClient(ConnectionString);
    }

    public static IMongoClient CreateClient(string connectionString)
    {
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        settings.ConnectTimeout = TimeSpan.FromSeconds(5);
        return new MongoClient(settings);
    }

    /// <summary>A fresh database with a unique name (dropped when the fixture is disposed).</summary>
    public IMongoDatabase NewDatabase(string prefix)
    {
        var name = $"t_{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 3 + 12)];
        lock (_databases)
        {
            _databases.Add(name);
        }

        return Client.GetDatabase(name);
    }

    public async Task DisposeAsync()
    {
        foreach (var db in _databases)
        {
            try
            {
                await Client.DropDatabaseAsync(db);
            }
            catch (MongoException)
            {
            }
        }

        Client.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (DataDirectory is not null && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    public static BsonDocument Doc(string json) => BsonDocument.Parse(json);
}

[CollectionDefinition(Name)]
public sealed class MongoCollectionDefinition : ICollectionFixture<MongoFixture>
{
    public const string Name = "mongo";
}
