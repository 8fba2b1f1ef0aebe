using System.Net.Sockets;

namespace TaskFlow.Messaging.Health;

/// <summary>
/// Whether the broker answers AMQP right now: a fresh TCP connection sends the protocol header and must get the
/// broker's first method frame back within <see cref="ProbeTimeout"/>. A hung broker (accepting connections in the
/// kernel but never answering) fails as clearly as a stopped one, and the probe never touches the service's own
/// connection, so a check never waits behind a blocked channel.
/// <para>
/// Registered as Degraded, not Unhealthy: writes never need the broker (events wait in the outbox), so the broker's
/// state shows in the health detail without making the service unready (docs/API.md, "Operations").
/// </para>
/// </summary>
internal sealed class BrokerHealthCheck(string? connectionString) : IHealthCheck
{
    /// <summary>Well under the gateway's active-probe timeout (2 s): /health answers in time even while the broker hangs.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private static readonly byte[] ProtocolHeader = "AMQP\0\0\u0009\u0001"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "No RabbitMQ connection string; events wait in the outbox.");
        }

        var port = uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(ProtocolHeader, timeout.Token);
            var reply = new byte[8];
            var read = await stream.ReadAsync(reply, timeout.Token);
            // Frame type 1 is a method frame: the broker's Connection.Start.
            return read > 0 && reply[0] == 1
                ? HealthCheckResult.Healthy($"RabbitMQ at {uri.Host}:{port} answers.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ at {uri.Host}:{port} answered, but not with AMQP; events wait in the outbox.");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"RabbitMQ at {uri.Host}:{port} does not answer ({(ex is OperationCanceledException ? "no reply in time" : "refused")}); events wait in the outbox.");
        }
    }
}
