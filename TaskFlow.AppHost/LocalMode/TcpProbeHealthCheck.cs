namespace TaskFlow.AppHost.LocalMode;

/// <summary>
/// Readiness of a local server by its own protocol: send a few bytes it must answer and check the first
/// reply bytes (Redis PING → "+PONG", AMQP header → a method frame, PostgreSQL startup → authentication, MongoDB
/// OP_MSG ping → an OP_MSG reply).
/// A bare open port is not enough: servers listen before they can serve (Redis loading, PostgreSQL recovery).
/// </summary>
internal sealed class TcpProbeHealthCheck(Func<int> port, byte[] probe, Func<byte[], int, bool> acceptsReply) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port(), timeout.Token);
            var stream = client.GetStream();
            if (probe.Length > 0)
            {
                await stream.WriteAsync(probe, timeout.Token);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0 || !acceptsReply(buffer, read))
                {
                    return HealthCheckResult.Unhealthy($"Port {port()} answered, but not ready.");
                }
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Nothing ready on port {port()}.");
        }
    }

    public static TcpProbeHealthCheck Redis(Func<int> port) =>
        new(port, "PING\r\n"u8.ToArray(), (reply, n) => n >= 5 && reply.AsSpan(0, 5).SequenceEqual("+PONG"u8));

    public static TcpProbeHealthCheck Amqp(Func<int> port) =>
        new(port, "AMQP\0\0\u0009\u0001"u8.ToArray(), (reply, n) => n >= 1 && reply[0] == 1);

    public static TcpProbeHealthCheck Postgres(Func<int> port)
    {
        // StartupMessage: length, protocol 3.0, user=postgres, database=postgres; trust auth answers 'R'.
        byte[] parameters = [.. "user\0postgres\0database\0postgres\0\0"u8];
        var message = new byte[8 + parameters.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), 196608);
        parameters.CopyTo(message, 8);
        return new(port, message, (reply, n) => n >= 1 && reply[0] == (byte)'R');
    }

    /// <summary>MongoDB wire protocol: an OP_MSG <c>{ping: 1, $db: "admin"}</c>, answered by an OP_MSG (opCode 2013).</summary>
    public static TcpProbeHealthCheck MongoPing(Func<int> port)
    {
        // BSON {ping: int32 1, $db: "admin"}: length, 0x10 "ping\0" 1, 0x02 "$db\0" (6) "admin\0", end.
        byte[] document = [0, 0, 0, 0, 0x10, .. "ping\0"u8, 1, 0, 0, 0, 0x02, .. "$db\0"u8, 6, 0, 0, 0, .. "admin\0"u8, 0];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(document, document.Length);
        var message = new byte[16 + 4 + 1 + document.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), OpMsg);
        document.CopyTo(message, 21);
        return new(port, message, (reply, n) => n >= 16 && System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(12)) == OpMsg);
    }

    private const int OpMsg = 2013;
}
