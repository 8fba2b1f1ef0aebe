using System.Threading.Channels;

namespace TaskFlow.MongoStandIn.Storage;

/// <summary>
/// Append-only journal: records are <c>[int32 length][uint32 crc32][BSON]</c>. Appends are group-committed: a single
/// writer drains everything queued, writes it and fsyncs once, then completes all waiting writers.
/// <para>Compaction: once the file has grown past twice its size after the last compaction (and at least
/// <c>compactAtBytes</c>), the writer asks the engine for a snapshot taken while no write can be queued, writes it
/// to a new file and swaps it in atomically, so a long-running server's journal stays proportional to its data.</para>
/// </summary>
internal sealed class Journal : IAsyncDisposable
{
    public const string FileName = "journal.bin";
    private const int MaxRecord = 64 * 1024 * 1024;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _path;
    private readonly bool _fsync;
    private readonly long _compactAtLeast;
    private readonly Task _writer;
    private FileStream _file;
    private long _compactAt;

    private Journal(string path, FileStream file, bool fsync, long compactAtBytes)
    {
        _path = path;
        _file = file;
        _fsync = fsync;
        _compactAtLeast = compactAtBytes;
        _compactAt = Math.Max(compactAtBytes, file.Length * 2);
        _writer = Task.Run(WriteLoopAsync);
    }

    public long RecordsWritten { get; private set; }

    public long Syncs { get; private set; }

    public long Compactions { get; private set; }

    /// <summary>
    /// Set by the engine: runs the given drain while no write can be queued and returns the snapshot records of
    /// everything it holds then (null: no compaction).
    /// </summary>
    public Func<Action, List<BsonDocument>>? SnapshotWhileQuiet { get; set; }

    /// <summary>Reads all intact records; a torn or corrupt tail is cut off (the file is truncated there).</summary>
    public static List<BsonDocument> ReadAll(string path, Action<string>? log)
    {
        var records = new List<BsonDocument>();
        if (!File.Exists(path))
        {
            return records;
        }

        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var header = new byte[8];
        long goodEnd = 0;
        while (true)
        {
            var pos = fs.Position;
            var n = fs.ReadAtLeast(header, 8, throwOnEndOfStream: false);
            if (n == 0)
            {
                break;
            }

            if (n < 8)
            {
                log?.Invoke($"journal: torn record header at offset {pos}, truncating");
                break;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (length < 5 || length > MaxRecord || pos + 8 + length > fs.Length)
            {
                log?.Invoke($"journal: torn record at offset {pos}, truncating");
                break;
            }

            var data = new byte[length];
            fs.ReadExactly(data);
            if (Crc32.Compute(data) != crc)
            {
                log?.Invoke($"journal: checksum mismatch at offset {pos}, truncating");
                break;
            }

            BsonDocument doc;
            try
            {
                doc = Deserialize(data);
            }
            catch (Exception ex) when (ex is FormatException or EndOfStreamException or BsonSerializationException)
            {
                log?.Invoke($"journal: unreadable record at offset {pos}, truncating");
                break;
            }

            records.Add(doc);
            goodEnd = fs.Position;
        }

        if (goodEnd < fs.Length)
        {
            fs.SetLength(goodEnd);
            fs.Flush(flushToDisk: true);
        }

        return records;
    }

    private static BsonDocument Deserialize(byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        using var reader = new BsonBinaryReader(stream, new BsonBinaryReaderSettings { MaxDocumentSize = MaxRecord });
        return BsonDocumentSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader));
    }

    public static byte[] Encode(BsonDocument record)
    {
        var data = record.ToBson(writerSettings: new BsonBinaryWriterSettings { MaxDocumentSize = MaxRecord });
        var buf = new byte[data.Length + 8];
        BinaryPrimitives.WriteInt32LittleEndian(buf, data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(4), Crc32.Compute(data));
        data.CopyTo(buf, 8);
        return buf;
    }

    /// <summary>Writes a fresh journal holding <paramref name="records"/> and atomically replaces the old one.</summary>
    public static void WriteSnapshot(string path, IEnumerable<BsonDocument> records)
    {
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (var r in records)
            {
                fs.Write(Encode(r));
            }

            fs.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }

    public static Journal OpenForAppend(string path, bool fsync, long compactAtBytes) =>
        new(path, OpenAppend(path), fsync, compactAtBytes);

    private static FileStream OpenAppend(string path) => new(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);

    /// <summary>Queues a record; the task completes once it is on disk.</summary>
    public Task Append(BsonDocument record)
    {
        var pending = new Pending(Encode(record), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException(new CommandError(ErrorCodes.InternalError, "journal is closed"));
        }

        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            long bytes = 0;
            while (bytes < 8 * 1024 * 1024 && reader.TryRead(out var p))
            {
                batch.Add(p);
                bytes += p.Data.Length;
            }

            try
            {
                foreach (var p in batch)
                {
                    _file.Write(p.Data);
                }

                _file.Flush(flushToDisk: _fsync);
                RecordsWritten += batch.Count;
                Syncs++;
                foreach (var p in batch)
                {
                    p.Done.TrySetResult();
                }

                if (_file.Length >= _compactAt && SnapshotWhileQuiet is { } snapshot)
                {
                    Compact(snapshot, reader);
                }
            }
            catch (Exception ex)
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(new CommandError(ErrorCodes.InternalError, "journal write failed: " + ex.Message));
                }
            }
        }
    }

    /// <summary>
    /// Records still queued when the engine went quiet are already part of its snapshot: they complete once the
    /// snapshot is on disk. A failed compaction leaves the old journal (with those records appended) in place.
    /// </summary>
    private void Compact(Func<Action, List<BsonDocument>> snapshot, ChannelReader<Pending> reader)
    {
        var drained = new List<Pending>();
        var records = snapshot(() =>
        {
            while (reader.TryRead(out var p))
            {
                drained.Add(p);
            }
        });
        try
        {
            _file.Dispose();
            WriteSnapshot(_path, records);
            Compactions++;
            _file = OpenAppend(_path);
        }
        catch (IOException)
        {
            _file = OpenAppend(_path);
            foreach (var p in drained)
            {
                _file.Write(p.Data);
            }

            _file.Flush(flushToDisk: _fsync);
        }

        _compactAt = Math.Max(_compactAtLeast, _file.Length * 2);
        foreach (var p in drained)
        {
            p.Done.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record Pending(byte[] Data, TaskCompletionSource Done);
}
