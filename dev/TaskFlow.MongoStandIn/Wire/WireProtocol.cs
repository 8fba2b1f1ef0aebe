namespace TaskFlow.MongoStandIn.Wire;

/// <summary>MongoDB wire protocol framing: OP_MSG (2013), OP_QUERY (2004) and OP_REPLY (1).</summary>
internal static class WireProtocol
{
    public const int HeaderSize = 16;
    public const int OpReply = 1;
    public const int OpQuery = 2004;
    public const int OpCompressed = 2012;
    public const int OpMsg = 2013;
    public const int MaxMessageSize = 48_000_000;
    public const int MaxBsonObjectSize = 16 * 1024 * 1024;

    private const uint ChecksumPresent = 1;
    private const uint MoreToCome = 2;
    private const uint ExhaustAllowed = 1 << 16;

    private static readonly BsonBinaryReaderSettings ReaderSettings = new() { MaxDocumentSize = MaxMessageSize };
    private static readonly BsonBinaryWriterSettings WriterSettings = new() { MaxDocumentSize = MaxMessageSize };

    /// <summary>Parses the body (after the 16-byte header) of a request.</summary>
    public static IncomingMessage Parse(int requestId, int opCode, byte[] buffer, int length)
    {
        return opCode switch
        {
            OpMsg => ParseMsg(requestId, buffer, length),
            OpQuery => ParseQuery(requestId, buffer, length),
            _ => throw new WireFormatException($"unsupported opCode {opCode}"),
        };
    }

    private static IncomingMessage ParseMsg(int requestId, byte[] buf, int length)
    {
        if (length < 5)
        {
            throw new WireFormatException("OP_MSG too short");
        }

        var flags = BinaryPrimitives.ReadUInt32LittleEndian(buf);
        var unknownRequired = flags & 0xFFFF & ~(ChecksumPresent | MoreToCome);
        if (unknownRequired != 0)
        {
            throw new WireFormatException($"OP_MSG has unknown required flag bits {unknownRequired}");
        }

        _ = flags & ExhaustAllowed; // tolerated: replies are never streamed
        var end = length;
        if ((flags & ChecksumPresent) != 0)
        {
            end -= 4; // CRC-32C is read and ignored
            if (end < 5)
            {
                throw new WireFormatException("OP_MSG too short for checksum");
            }
        }

        var pos = 4;
        BsonDocument? body = null;
        List<(string Id, BsonArray Docs)>? sequences = null;
        while (pos < end)
        {
            var kind = buf[pos++];
            if (kind == 0)
            {
                if (body is not null)
                {
                    throw new WireFormatException("OP_MSG has more than one body section");
                }

                body = ReadDocument(buf, ref pos, end);
            }
            else if (kind == 1)
            {
                if (pos + 4 > end)
                {
                    throw new WireFormatException("truncated document sequence");
                }

                var size = BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(pos));
                var sectionEnd = pos + size;
                if (size < 5 || sectionEnd > end)
                {
                    throw new WireFormatException("invalid document sequence size");
                }

                pos += 4;
                var id = ReadCString(buf, ref pos, sectionEnd);
                var docs = new BsonArray();
                while (pos < sectionEnd)
                {
                    docs.Add(ReadDocument(buf, ref pos, sectionEnd));
                }

                (sequences ??= []).Add((id, docs));
            }
            else
            {
                throw new WireFormatException($"unknown OP_MSG section kind {kind}");
            }
        }

        if (body is null)
        {
            throw new WireFormatException("OP_MSG without a body section");
        }

        if (sequences is not null)
        {
            foreach (var (id, docs) in sequences)
            {
                if (body.Contains(id))
                {
                    throw new WireFormatException($"duplicate field {id} in OP_MSG document sequence and body");
                }

                body[id] = docs;
            }
        }

        var db = body.TryGetValue("$db", out var dbValue) && dbValue.BsonType == BsonType.String ? dbValue.AsString : string.Empty;
        return new IncomingMessage(requestId, OpMsg, body, db, (flags & MoreToCome) != 0, null);
    }

    private static IncomingMessage ParseQuery(int requestId, byte[] buf, int length)
    {
        var pos = 4; // flags
        var fullName = ReadCString(buf, ref pos, length);
        pos += 8; // numberToSkip, numberToReturn
        if (pos > length)
        {
            throw new WireFormatException("truncated OP_QUERY");
        }

        var query = ReadDocument(buf, ref pos, length);
        if (pos < length)
        {
            ReadDocument(buf, ref pos, length); // returnFieldsSelector, ignored
        }

        var dot = fullName.IndexOf('.', StringComparison.Ordinal);
        var db = dot < 0 ? fullName : fullName[..dot];
        if (query.ElementCount > 0 && query.GetElement(0).Name is "$query" or "query" && query[0] is BsonDocument inner)
        {
            query = inner;
        }

        return new IncomingMessage(requestId, OpQuery, query, db, false, fullName);
    }

    private static string ReadCString(byte[] buf, ref int pos, int end)
    {
        var zero = Array.IndexOf(buf, (byte)0, pos, end - pos);
        if (zero < 0)
        {
            throw new WireFormatException("unterminated cstring");
        }

        var s = Encoding.UTF8.GetString(buf, pos, zero - pos);
        pos = zero + 1;
        return s;
    }

    private static BsonDocument ReadDocument(byte[] buf, ref int pos, int end)
    {
        if (pos + 5 > end)
        {
            throw new WireFormatException("truncated BSON document");
        }

        var size = BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(pos));
        if (size < 5 || pos + size > end || buf[pos + size - 1] != 0)
        {
            throw new WireFormatException("invalid BSON document length");
        }

        try
        {
            using var stream = new MemoryStream(buf, pos, size, writable: false);
            using var reader = new BsonBinaryReader(stream, ReaderSettings);
            var doc = BsonDocumentSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader));
            if (stream.Position != size)
            {
                throw new WireFormatException("BSON document length mismatch");
            }

            pos += size;
            return doc;
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or BsonSerializationException or ArgumentException or InvalidOperationException)
        {
            throw new WireFormatException("invalid BSON: " + ex.Message);
        }
    }

    public static byte[] BuildMsg(int requestId, int responseTo, BsonDocument body)
    {
        var doc = body.ToBson(writerSettings: WriterSettings);
        var total = HeaderSize + 4 + 1 + doc.Length;
        var buf = new byte[total];
        WriteHeader(buf, total, requestId, responseTo, OpMsg);
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(16), 0);
        buf[20] = 0;
        doc.CopyTo(buf, 21);
        return buf;
    }

    public static byte[] BuildReply(int requestId, int responseTo, BsonDocument body, int responseFlags = 0)
    {
        var doc = body.ToBson(writerSettings: WriterSettings);
        var total = HeaderSize + 20 + doc.Length;
        var buf = new byte[total];
        WriteHeader(buf, total, requestId, responseTo, OpReply);
        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(16), responseFlags);
        BinaryPrimitives.WriteInt64LittleEndian(buf.AsSpan(20), 0);
        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(28), 0);
        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(32), 1);
        doc.CopyTo(buf, 36);
        return buf;
    }

    private static void WriteHeader(byte[] buf, int length, int requestId, int responseTo, int opCode)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buf, length);
        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(4), requestId);
        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(12), opCode);
    }
}
