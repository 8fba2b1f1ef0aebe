namespace TaskFlow.MongoStandIn.Storage;

/// <summary>All databases and collections, the journal and the cursors of one server.</summary>
internal sealed class StandInEngine : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DatabaseState> _databases = new(StringComparer.Ordinal);
    private readonly Action<string>? _log;
    private Journal? _journal;
    private FileStream? _lockFile;
    private Timer? _ttlTimer;
    private int _ttlRunning;
    private volatile bool _disposed;

    private StandInEngine(Action<string>? log) => _log = log;

    /// <summary>Starts the TTL monitor: documents past an index's expireAfterSeconds are deleted periodically.</summary>
    public void StartTtlMonitor(TimeSpan interval)
    {
        _ttlTimer = new Timer(_ => RunTtlPass(), null, interval, interval);
    }

    /// <summary>Deletes expired documents of every collection with a TTL index; returns how many were removed.</summary>
    public int RunTtlPass()
    {
        if (_disposed || Interlocked.Exchange(ref _ttlRunning, 1) != 0)
        {
            return 0;
        }

        var removed = 0;
        try
        {
            var now = DateTime.UtcNow;
            foreach (var db in _databases.Values)
            {
                foreach (var name in db.Collections.Keys)
                {
                    removed += WithCollection(db.Name, name, create: false, [], c =>
                    {
                        if (c is null || _disposed)
                        {
                            return 0;
                        }

                        var count = 0;
                        foreach (var index in c.Indexes.Where(i => i.ExpireAfterSeconds is not null && i.Key.ElementCount == 1).ToList())
                        {
                            var parts = Bson.Paths.Split(index.LeadingField);
                            var cutoff = now - TimeSpan.FromSeconds(index.ExpireAfterSeconds!.Value);
                            var expired = new List<long>();
                            foreach (var (rid, doc) in c.Records)
                            {
                                var dates = Bson.Paths.Collect(doc, parts, expandLeafArrays: true).Where(v => v.BsonType == BsonType.DateTime).ToList();
                                if (dates.Count > 0 && dates.Min(d => d.ToUniversalTime()) <= cutoff)
                                {
                                    expired.Add(rid);
                                }
                            }

                            foreach (var rid in expired)
                            {
                                if (c.Contains(rid))
                                {
                                    c.Delete(rid, []);
                                    count++;
                                }
                            }
                        }

                        return count;
                    });
                }
            }
        }
        catch (Exception ex)
        {
            // a timer callback must never take the process down
            _log?.Invoke("ttl monitor: " + ex.Message);
        }
        finally
        {
            Interlocked.Exchange(ref _ttlRunning, 0);
        }

        return removed;
    }

    public CursorManager Cursors { get; } = new();

    public Journal? Journal => _journal;

    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public static StandInEngine Open(string? dataDirectory, bool fsync, Action<string>? log, long compactJournalAtBytes = MongoStandInOptions.DefaultCompactJournalAtBytes)
    {
        var engine = new StandInEngine(log);
        if (string.IsNullOrEmpty(dataDirectory))
        {
            return engine;
        }

        Directory.CreateDirectory(dataDirectory);
        try
        {
            engine._lockFile = new FileStream(Path.Combine(dataDirectory, "mongod.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"data directory {dataDirectory} is in use by another MongoStandIn: {ex.Message}", ex);
        }

        var path = Path.Combine(dataDirectory, Journal.FileName);
        var records = Journal.ReadAll(path, log);
        foreach (var r in records)
        {
            engine.Replay(r);
        }

        log?.Invoke($"journal: replayed {records.Count} records");
        Journal.WriteSnapshot(path, engine.SnapshotRecords());
        engine._journal = Journal.OpenForAppend(path, fsync, compactJournalAtBytes);
        engine._journal.SnapshotWhileQuiet = engine.SnapshotWhileQuiet;
        foreach (var db in engine._databases.Values)
        {
            foreach (var c in db.Collections.Values)
            {
                c.AttachJournal(engine._journal);
            }
        }

        return engine;
    }

    private void Replay(BsonDocument r)
    {
        try
        {
            var op = r["op"].AsString;
            var db = r["db"].AsString;
            var name = r.GetValue("c", BsonNull.Value);
            var noDurability = new List<Task>();
            var coll = name.IsBsonNull ? null : GetCollection(db, name.AsString);
            switch (op)
            {
                case "c":
                    if (coll is null)
                    {
                        CreateCollection(db, name.AsString, r.GetValue("options", new BsonDocument()).AsBsonDocument, noDurability);
                    }

                    break;
                case "i":
                    coll ??= GetOrCreateCollection(db, name.AsString, noDurability);
                    coll.Insert(r["doc"].AsBsonDocument, noDurability);
                    break;
                case "u":
                    {
                        coll ??= GetOrCreateCollection(db, name.AsString, noDurability);
                        var doc = r["doc"].AsBsonDocument;
                        var rid = coll.RecordIdOf(doc["_id"]);
                        if (rid is null)
                        {
                            coll.Insert(doc, noDurability);
                        }
                        else
                        {
                            coll.Replace(rid.Value, doc, noDurability);
                        }

                        break;
                    }

                case "d":
                    {
                        var rid = coll?.RecordIdOf(r["id"]);
                        if (coll is not null && rid is not null)
                        {
                            coll.Delete(rid.Value, noDurability);
                        }

                        break;
                    }

                case "ci":
                    coll ??= GetOrCreateCollection(db, name.AsString, noDurability);
                    coll.CreateIndex(IndexState.FromSpec(r["spec"].AsBsonDocument), noDurability);
                    break;
                case "di":
                    coll?.DropIndex(r["name"].AsString, noDurability);
                    break;
                case "dc":
                    DropCollection(db, name.AsString, noDurability);
                    break;
                default:
                    _log?.Invoke($"journal: unknown record op {op}");
                    break;
            }
        }
        catch (Exception ex) when (ex is CommandError or KeyNotFoundException or InvalidCastException)
        {
            _log?.Invoke($"journal: could not replay {r}: {ex.Message}");
        }
    }

    /// <summary>
    /// Holds every database and collection lock (in the order writers take them: database, then its collections), so
    /// no write can change state or queue a journal record; runs <paramref name="drain"/> (everything queued so far is
    /// already in memory, hence in the snapshot) and copies the snapshot records. Locks are re-taken until no database
    /// appeared meanwhile.
    /// </summary>
    private List<BsonDocument> SnapshotWhileQuiet(Action drain)
    {
        var held = new List<object>();
        try
        {
            var locked = new HashSet<DatabaseState>();
            while (_databases.Values.FirstOrDefault(d => !locked.Contains(d)) is { } database)
            {
                Monitor.Enter(database.Sync);
                held.Add(database.Sync);
                locked.Add(database);
                foreach (var c in database.Collections.Values)
                {
                    Monitor.Enter(c.Sync);
                    held.Add(c.Sync);
                }
            }

            drain();
            // Stored documents are immutable (an update stores a new one), so the records may be encoded after the locks.
            return [.. SnapshotRecords()];
        }
        finally
        {
            for (var i = held.Count - 1; i >= 0; i--)
            {
                Monitor.Exit(held[i]);
            }
        }
    }

    private IEnumerable<BsonDocument> SnapshotRecords()
    {
        foreach (var db in _databases.Values)
        {
            foreach (var c in db.Collections.Values)
            {
                yield return new BsonDocument { { "op", "c" }, { "db", db.Name }, { "c", c.Name }, { "options", c.Options } };
                foreach (var i in c.Indexes)
                {
                    yield return new BsonDocument { { "op", "ci" }, { "db", db.Name }, { "c", c.Name }, { "spec", i.Spec } };
                }

                foreach (var d in c.Documents)
                {
                    yield return new BsonDocument { { "op", "i" }, { "db", db.Name }, { "c", c.Name }, { "doc", d } };
                }
            }
        }
    }

    public static void ValidateDatabaseName(string db)
    {
        if (db.Length == 0 || db.Length > 63 || db.IndexOfAny(['/', '\\', '.', ' ', '"', '$', '\0']) >= 0)
        {
            throw new CommandError(ErrorCodes.InvalidNamespace, $"Invalid database name: '{db}'");
        }
    }

    public static void ValidateCollectionName(string db, string name)
    {
        if (name.Length == 0 || name.Contains('$', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            throw new CommandError(ErrorCodes.InvalidNamespace, $"Invalid collection name: {db}.{name}");
        }
    }

    public DatabaseState Database(string name) => _databases.GetOrAdd(name, n => new DatabaseState(n));

    public IEnumerable<DatabaseState> Databases => _databases.Values.Where(d => !d.Collections.IsEmpty).OrderBy(d => d.Name, StringComparer.Ordinal);

    public CollectionState? GetCollection(string db, string name) =>
        _databases.TryGetValue(db, out var d) && d.Collections.TryGetValue(name, out var c) ? c : null;

    public CollectionState GetOrCreateCollection(string db, string name, List<Task> durability)
    {
        var existing = GetCollection(db, name);
        if (existing is not null)
        {
            return existing;
        }

        ValidateDatabaseName(db);
        ValidateCollectionName(db, name);
        var database = Database(db);
        lock (database.Sync)
        {
            if (database.Collections.TryGetValue(name, out var c))
            {
                return c;
            }

            return CreateLocked(database, name, new BsonDocument(), durability);
        }
    }

    public CollectionState CreateCollection(string db, string name, BsonDocument options, List<Task> durability)
    {
        ValidateDatabaseName(db);
        ValidateCollectionName(db, name);
        var database = Database(db);
        lock (database.Sync)
        {
            if (database.Collections.ContainsKey(name))
            {
                throw new CommandError(ErrorCodes.NamespaceExists, $"Collection {db}.{name} already exists.");
            }

            return CreateLocked(database, name, options, durability);
        }
    }

    private CollectionState CreateLocked(DatabaseState database, string name, BsonDocument options, List<Task> durability)
    {
        var c = new CollectionState(database.Name, name, options, _journal);
        if (_journal is not null)
        {
            durability.Add(_journal.Append(new BsonDocument { { "op", "c" }, { "db", database.Name }, { "c", name }, { "options", options } }));
        }

        database.Collections[name] = c;
        return c;
    }

    public bool DropCollection(string db, string name, List<Task> durability)
    {
        if (!_databases.TryGetValue(db, out var database))
        {
            return false;
        }

        lock (database.Sync)
        {
            if (!database.Collections.TryGetValue(name, out var c))
            {
                return false;
            }

            lock (c.Sync)
            {
                c.Dropped = true;
                database.Collections.TryRemove(name, out _);
                if (_journal is not null)
                {
                    durability.Add(_journal.Append(new BsonDocument { { "op", "dc" }, { "db", db }, { "c", name } }));
                }
            }

            Cursors.KillNamespace(db + "." + name);
            return true;
        }
    }

    public void DropDatabase(string db, List<Task> durability)
    {
        if (!_databases.TryGetValue(db, out var database))
        {
            return;
        }

        foreach (var name in database.Collections.Keys.ToList())
        {
            DropCollection(db, name, durability);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> holding the collection's lock, retrying if the collection was dropped
    /// concurrently. With <paramref name="create"/> false a missing collection passes null.
    /// </summary>
    public T WithCollection<T>(string db, string name, bool create, List<Task> durability, Func<CollectionState?, T> action)
    {
        while (true)
        {
            var c = create ? GetOrCreateCollection(db, name, durability) : GetCollection(db, name);
            if (c is null)
            {
                return action(null);
            }

            lock (c.Sync)
            {
                if (c.Dropped)
                {
                    continue;
                }

                return action(c);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_ttlTimer is not null)
        {
            await _ttlTimer.DisposeAsync().ConfigureAwait(false);
        }

        Cursors.Dispose();
        if (_journal is not null)
        {
            await _journal.DisposeAsync().ConfigureAwait(false);
        }

        if (_lockFile is not null)
        {
            await _lockFile.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static string FormatNs(string db, string coll) => db + "." + coll;

    public static BsonValue SizeOf(CollectionState c) => new BsonInt64(c.Documents.Sum(d => (long)BsonOrderSize(d)));

    private static int BsonOrderSize(BsonDocument d) => d.ToBson().Length;

    internal static string Describe(BsonValue v) => BsonText.Format(v);
}
