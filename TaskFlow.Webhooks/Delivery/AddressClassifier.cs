using System.Net.Sockets;

namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// Which addresses a webhook may never reach (SSRF): loopback, RFC 1918 private, link-local (169.254/16 with the cloud
/// metadata address 169.254.169.254, fe80::/10), CGNAT 100.64/10, unspecified, multicast, broadcast and reserved,
/// IPv6 unique-local fc00::/7 and site-local fec0::/10, and every IPv6 form that embeds an IPv4 address (mapped
/// ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), judged by the IPv4 address inside.
/// Local mode may allow loopback (tests run their receivers there); nothing else is ever allowed.
/// </summary>
public static class AddressClassifier
{
    public const string Loopback = "loopback";
    public const string Private = "private";
    public const string LinkLocal = "link-local";
    public const string SharedAddressSpace = "carrier-grade NAT";
    public const string Unspecified = "unspecified";
    public const string Multicast = "multicast";
    public const string Reserved = "reserved";
    public const string UniqueLocal = "unique-local";

    /// <summary>The class that forbids <paramref name="address"/> (one of the constants above), or null when it is a public address.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        var forbidden = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
            _ => Reserved,
        };
        return forbidden == Loopback && allowLoopback ? null : forbidden;
    }

    private static string? ClassifyV4(ReadOnlySpan<byte> b) => (b[0], b[1]) switch
    {
        (0, _) => Unspecified,
        (127, _) => Loopback,
        (10, _) => Private,
        (172, >= 16 and <= 31) => Private,
        (192, 168) => Private,
        (169, 254) => LinkLocal,
        (100, >= 64 and <= 127) => SharedAddressSpace,
        (192, 0) when b[2] == 0 => Reserved,
        (198, 18 or 19) => Reserved,
        ( >= 224 and <= 239, _) => Multicast,
        ( >= 240, _) => Reserved,
        _ => null,
    };

    private static string? ClassifyV6(byte[] b)
    {
        var span = b.AsSpan();
        if (span[..15].IndexOfAnyExcept((byte)0) < 0)
        {
            return b[15] switch { 0 => Unspecified, 1 => Loopback, _ => ClassifyV4(span[12..]) };
        }

        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated but still routable by some stacks).
        if (span[..10].IndexOfAnyExcept((byte)0) < 0 && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
        {
            return ClassifyV4(span[12..]);
        }

        // NAT64 well-known prefix 64:ff9b::/96 and 6to4 2002:a.b.c.d::/48 reach the IPv4 address they embed.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && span[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return ClassifyV4(span[12..]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(span[2..6]);
        }

        return b[0] switch
        {
            0xff => Multicast,
            0xfe when (b[1] & 0xc0) == 0x80 => LinkLocal,
            0xfe when (b[1] & 0xc0) == 0xc0 => UniqueLocal,
            0xfc or 0xfd => UniqueLocal,
            _ => null,
        };
    }
}
