using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace TaskFlow.Users.Model;

/// <summary>
/// Position after the last user of a page in the (createdAt, id) order. Clients see it as an opaque base64url
/// string; its layout (a version byte, UTC ticks, the id) is free to change.
/// </summary>
public sealed record UserCursor(DateTimeOffset CreatedAt, Guid Id)
{
    private const byte Version = 1;
    private const int Length = 1 + sizeof(long) + 16;

    public static UserCursor After(User user) => new(user.CreatedAt, user.Id);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], CreatedAt.UtcTicks);
        Id.TryWriteBytes(bytes[9..], bigEndian: true, out _);
        return Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Encode(bytes.ToArray());
    }

    public static bool TryParse(string value, [NotNullWhen(true)] out UserCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Decode(value);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length != Length || bytes[0] != Version)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new UserCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.AsSpan(9), bigEndian: true));
        return true;
    }
}
