using System.Buffers;
using System.Net.Sockets;

namespace TaskFlow.MongoStandIn;

/// <summary>A small server speaking MongoDB's wire protocol, for machines without a container engine.</summary>
public sealed class MongoStandInServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly StandInEngine _engine;
    private readonly CommandDispatcher _dispatcher;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, TcpClient> _clients = new();
    private readonly Action<string>? _log;
    private Task _acceptLoop = Task.CompletedTask;
    private int _nextConnectionId;
    private int _nextRequestId;
    private int _disposed;

    private MongoStandInServer(TcpListener listener, StandInEngine engine, Action<string>? log)
    {
        _listener = listener;
        _engine = engine;
        _log = log;
        _dispatcher = new CommandDispatcher(engine, this);
    }

    /// <summary>The port the server listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A connection string for MongoDB.Driver.</summary>
    public string ConnectionString => $"mongodb://127.0.0.1:{Port}/?directConnection=true";

    internal int CurrentConnections => _clients.Count;

    internal int TotalConnections => _nextConnectionId;

    public static Task<MongoStandInServer> StartAsync(MongoStandInOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var engine = StandInEngine.Open(options.DataDirectory, options.Fsync, options.Log, options.CompactJournalAtBytes);
        engine.StartTtlMonitor(options.TtlMonitorInterval);
        var listener = new TcpListener(options.BindAddress, options.Port);
        try
        {
            listener.Start(512);
        }
        catch
        {
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        var server = new MongoStandInServer(listener, engine, options.Log);
        server._acceptLoop = Task.Run(server.AcceptLoopAsync, CancellationToken.None);
        return Task.FromResult(server);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                _log?.Invoke("accept failed: " + ex.Message);
                continue;
            }

            var id = Interlocked.Increment(ref _nextConnectionId);
            _clients[id] = client;
            _ = Task.Run(() => ServeAsync(id, client), CancellationToken.None);
        }
    }

    private async Task ServeAsync(int connectionId, TcpClient client)
    {
        client.NoDelay = true;
        var header = new byte[WireProtocol.HeaderSize];
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                var token = _stopping.Token;
                while (!token.IsCancellationRequested)
                {
                    try
                    {
                        await stream.ReadExactlyAsync(header, token).ConfigureAwait(false);
                    }
                    catch (EndOfStreamException)
                    {
                        return;
                    }

                    var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                    var requestId = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
                    var opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
                    if (length <= WireProtocol.HeaderSize || length > WireProtocol.MaxMessageSize)
                    {
                        _log?.Invoke($"connection {connectionId}: invalid message length {length}, closing");
                        return;
                    }

                    var bodyLength = length - WireProtocol.HeaderSize;
                    var body = ArrayPool<byte>.Shared.Rent(bodyLength);
                    byte[]? reply;
                    try
                    {
                        await stream.ReadExactlyAsync(body.AsMemory(0, bodyLength), token).ConfigureAwait(false);
                        var message = WireProtocol.Parse(requestId, opCode, body, bodyLength);
                        reply = await HandleAsync(connectionId, message).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(body);
                    }

                    if (reply is not null)
                    {
                        await stream.WriteAsync(reply, token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (WireFormatException ex)
        {
            _log?.Invoke($"connection {connectionId}: malformed message ({ex.Message}), closing");
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // client went away or server stopping
        }
        catch (Exception ex)
        {
            _log?.Invoke($"connection {connectionId}: unexpected error {ex}");
        }
        finally
        {
            _clients.TryRemove(connectionId, out _);
        }
    }

    private async Task<byte[]?> HandleAsync(int connectionId, IncomingMessage message)
    {
        var context = new CommandContext(_engine, message.Database, message.Command, connectionId, message.OpCode == WireProtocol.OpQuery);
        BsonDocument result;
        if (message.OpCode == WireProtocol.OpQuery && !CommandDispatcher.IsHandshake(message.Command))
        {
            var name = message.Command.ElementCount > 0 ? message.Command.GetElement(0).Name : string.Empty;
            result = new CommandError(352, $"Unsupported OP_QUERY command: {name}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal").ToErrorDocument();
        }
        else
        {
            result = await _dispatcher.ExecuteAsync(context).ConfigureAwait(false);
        }

        if (message.MoreToCome)
        {
            return null;
        }

        var replyId = Interlocked.Increment(ref _nextRequestId);
        return message.OpCode == WireProtocol.OpQuery
            ? WireProtocol.BuildReply(replyId, message.RequestId, result)
            : WireProtocol.BuildMsg(replyId, message.RequestId, result);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var c in _clients.Values)
        {
            c.Close();
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _engine.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
