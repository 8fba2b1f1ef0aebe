using System.Net.Sockets;

namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// The delivery client's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host itself, refuses the
/// connection when any address it resolves to is forbidden (<see cref="AddressClassifier"/>), and connects to exactly
/// the address it checked, so a DNS answer that changes between check and connect (rebinding) changes nothing.
/// </summary>
public sealed class GuardedConnector(bool allowLoopback, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    /// <summary>The checked addresses of <paramref name="host"/>, or a refusal.</summary>
    public async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        IPAddress[] addresses;
        if (IPAddress.TryParse(literal, out var address))
        {
            addresses = [address];
        }
        else
        {
            try
            {
                addresses = await _resolve(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new DestinationRefusedException($"The host does not resolve ({ex.SocketErrorCode}).");
            }
        }

        if (addresses.Length == 0)
        {
            throw new DestinationRefusedException("The host resolves to no address.");
        }

        foreach (var candidate in addresses)
        {
            if (AddressClassifier.Refusal(candidate, allowLoopback) is { } refusal)
            {
                throw new DestinationRefusedException($"The host resolves to a {refusal} address; webhooks are not sent there.");
            }
        }

        return addresses;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await ResolveAllowedAsync(context.DnsEndPoint.Host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostUnreachable);
    }
}
