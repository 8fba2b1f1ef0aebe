using System.Runtime.InteropServices;
using TaskFlow.MongoStandIn;

var port = 27017;
string? dataDir = null;
var portText = Environment.GetEnvironmentVariable("MONGO_PORT") ?? Environment.GetEnvironmentVariable("PORT");
if (!string.IsNullOrEmpty(portText))
{
    port = int.Parse(portText, CultureInfo.InvariantCulture);
}

var envData = Environment.GetEnvironmentVariable("MONGO_DATA_DIR");
if (!string.IsNullOrEmpty(envData))
{
    dataDir = envData;
}

var noFsync = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--data" when i + 1 < args.Length:
        case "--dbpath" when i + 1 < args.Length:
            dataDir = args[++i];
            break;
        case "--no-fsync":
            noFsync = true;
            break;
        case "--help":
        case "-h":
            Console.WriteLine("usage: TaskFlow.MongoStandIn [--port <port>] [--data <dir>] [--no-fsync]");
            Console.WriteLine("env: MONGO_PORT or PORT, MONGO_DATA_DIR. Port 0 picks a free port. No data dir = in-memory.");
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument: {args[i]}");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    stop.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
{
    ctx.Cancel = true;
    stop.Cancel();
});

MongoStandInServer server;
try
{
    server = await MongoStandInServer.StartAsync(new MongoStandInOptions
    {
        Port = port,
        DataDirectory = dataDir,
        Fsync = !noFsync,
        Log = line => Console.Error.WriteLine("[mongostandin] " + line),
    });
}
catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine("MongoStandIn failed to start: " + ex.Message);
    return 1;
}

Console.WriteLine($"MongoStandIn listening on 127.0.0.1:{server.Port}");
Console.Out.Flush();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await server.DisposeAsync();
Console.WriteLine("MongoStandIn stopped");
return 0;
