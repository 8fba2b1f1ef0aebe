using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace TaskFlow.Tasks.Model;

/// <summary>
/// The position after the last item of a page, for keyset paging on (sort value, id): the next page starts strictly
/// after it, so items inserted meanwhile can neither shift nor repeat what follows. Clients see an opaque base64url
/// token. It carries a checksum (a tampered token is a 400, not a silently different page) and a fingerprint of the
/// query it belongs to (reusing it with other filters or another sort is a 400). It is not a secret: whatever a
/// client puts in it, the caller's visibility filter still applies to the next page.
/// </summary>
public sealed record PageCursor(string Sort, long? Value, string Id, string Fingerprint)
{
    private const int FormatVersion = 1;
    private const int ChecksumLength = 8;
    private const int MaxEncodedLength = 512;

    public string Encode()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Wire(FormatVersion, Sort, Value, Id, Fingerprint), WireContext.Default.Wire);
        var bytes = new byte[payload.Length + ChecksumLength];
        payload.CopyTo(bytes, 0);
        SHA256.HashData(payload).AsSpan(0, ChecksumLength).CopyTo(bytes.AsSpan(payload.Length));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Decodes a token for the given sort and query fingerprint; null with a reason when it is not one of ours.</summary>
    public static PageCursor? Decode(string token, string expectedSort, string expectedFingerprint, out string? error)
    {
        error = "The cursor is not valid.";
        if (token.Length is 0 or > MaxEncodedLength || !Base64Url.IsValid(token))
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length <= ChecksumLength)
        {
            return null;
        }

        var payload = bytes.AsSpan(0, bytes.Length - ChecksumLength);
        var checksum = SHA256.HashData(payload).AsSpan(0, ChecksumLength);
        if (!CryptographicOperations.FixedTimeEquals(checksum, bytes.AsSpan(bytes.Length - ChecksumLength)))
        {
            return null;
        }

        var reader = new Utf8JsonReader(payload);
        if (!JsonDocument.TryParseValue(ref reader, out var document))
        {
            return null;
        }

        Wire? wire;
        using (document)
        {
            wire = Read(document.RootElement);
        }

        if (wire is null || wire.V != FormatVersion || !Guid.TryParse(wire.I, out _))
        {
            return null;
        }

        if (!string.Equals(wire.S, expectedSort, StringComparison.Ordinal) || !string.Equals(wire.F, expectedFingerprint, StringComparison.Ordinal))
        {
            error = "The cursor belongs to a different query; repeat the filters and sort it was issued for.";
            return null;
        }

        error = null;
        return new PageCursor(wire.S, wire.X, wire.I, wire.F);
    }

    // Read field by field: a checksummed but hand-made token must still be a 400, never an exception.
    private static Wire? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version)
            || !root.TryGetProperty("s", out var s) || s.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("i", out var i) || i.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("f", out var f) || f.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        long? value = null;
        if (root.TryGetProperty("x", out var x) && x.ValueKind != JsonValueKind.Null)
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt64(out var number))
            {
                return null;
            }

            value = number;
        }

        return new Wire(version, s.GetString() ?? string.Empty, value, i.GetString() ?? string.Empty, f.GetString() ?? string.Empty);
    }

    /// <summary>A short stable digest of the normalized query parts a cursor is bound to.</summary>
    public static string FingerprintOf(params string?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p ?? "\u0000"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    internal sealed record Wire(
        [property: JsonPropertyName("v")] int V,
        [property: JsonPropertyName("s")] string S,
        [property: JsonPropertyName("x")] long? X,
        [property: JsonPropertyName("i")] string I,
        [property: JsonPropertyName("f")] string F);
}

[JsonSerializable(typeof(PageCursor.Wire))]
internal sealed partial class WireContext : JsonSerializerContext;
