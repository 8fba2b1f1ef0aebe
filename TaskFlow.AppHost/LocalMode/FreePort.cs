using System.Net;

namespace TaskFlow.AppHost.LocalMode;

internal static class FreePort
{
    /// <summary>A loopback port free right now; local servers bind it directly (no proxy hop).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
