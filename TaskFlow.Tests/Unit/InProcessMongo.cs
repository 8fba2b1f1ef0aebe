using MongoDB.Driver;
using TaskFlow.MongoStandIn;

namespace TaskFlow.Tests.Unit;

/// <summary>The MongoDB edge of a unit test: the in-process stand-in on a free loopback port, with a temporary data directory.</summary>
public sealed class InProcessMongo : IAsyncDisposable
{
    private readonly MongoStandInServer _server;
    private readonly string _dataDirectory;

    private InProcessMongo(MongoStandInServer server, string dataDirectory)
    {
        _server = server;
        _dataDirectory = dataDirectory;
        Client = new MongoClient(server.ConnectionString);
    }

    public string ConnectionString => _server.ConnectionString;

    public IMongoClient Client { get; }

    public static async Task<InProcessMongo> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "taskflow-unit-mongo-" + Guid.NewGuid().ToString("N"));
        var server = await MongoStandInServer.StartAsync(new MongoStandInOptions { Port = 0, DataDirectory = dataDirectory, Fsync = false });
        return new InProcessMongo(server, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
