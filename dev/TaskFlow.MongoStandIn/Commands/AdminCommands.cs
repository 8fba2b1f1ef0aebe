namespace TaskFlow.MongoStandIn.Commands;

internal sealed class AdminCommands(MongoStandInServer server)
{
    public const string Version = "7.0.0";
    public const int MaxWireVersion = 21;

    public Task<BsonDocument> Hello(CommandContext ctx)
    {
        var doc = new BsonDocument();
        if (ctx.Command.TryGetValue("helloOk", out var helloOk) && helloOk.ToBoolean())
        {
            doc["helloOk"] = true;
        }

        if (ctx.Name == "hello")
        {
            doc["isWritablePrimary"] = true;
        }
        else
        {
            doc["ismaster"] = true;
        }

        doc.AddRange(new BsonDocument
        {
            { "maxBsonObjectSize", WireProtocol.MaxBsonObjectSize },
            { "maxMessageSizeBytes", WireProtocol.MaxMessageSize },
            { "maxWriteBatchSize", 100000 },
            { "localTime", new BsonDateTime(DateTime.UtcNow) },
            { "logicalSessionTimeoutMinutes", 30 },
            { "connectionId", ctx.ConnectionId },
            { "minWireVersion", 0 },
            { "maxWireVersion", MaxWireVersion },
            { "readOnly", false },
            { "ok", 1.0 },
        });
        return Task.FromResult(doc);
    }

    public BsonDocument BuildInfo(CommandContext ctx) => new()
    {
        { "version", Version },
        { "gitVersion", "mongostandin" },
        { "versionArray", new BsonArray { 7, 0, 0, 0 } },
        { "bits", 64 },
        { "debug", false },
        { "maxBsonObjectSize", WireProtocol.MaxBsonObjectSize },
        { "storageEngines", new BsonArray { "mongostandin" } },
        { "javascriptEngine", "none" },
        { "modules", new BsonArray() },
        { "ok", 1.0 },
    };

    public BsonDocument ServerStatus(CommandContext ctx)
    {
        var uptime = DateTime.UtcNow - ctx.Engine.StartedAt;
        return new BsonDocument
        {
            { "host", Environment.MachineName },
            { "version", Version },
            { "process", "mongod" },
            { "pid", (long)Environment.ProcessId },
            { "uptime", Math.Floor(uptime.TotalSeconds) },
            { "uptimeMillis", (long)uptime.TotalMilliseconds },
            { "localTime", new BsonDateTime(DateTime.UtcNow) },
            { "connections", new BsonDocument { { "current", server.CurrentConnections }, { "totalCreated", server.TotalConnections } } },
            { "storageEngine", new BsonDocument { { "name", "mongostandin" }, { "persistent", ctx.Engine.Journal is not null } } },
            { "ok", 1.0 },
        };
    }

    public BsonDocument HostInfo(CommandContext ctx) => new()
    {
        { "system", new BsonDocument { { "hostname", Environment.MachineName }, { "numCores", Environment.ProcessorCount }, { "cpuArch", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString() } } },
        { "os", new BsonDocument { { "type", System.Runtime.InteropServices.RuntimeInformation.OSDescription } } },
        { "ok", 1.0 },
    };

    public BsonDocument ListDatabases(CommandContext ctx)
    {
        ctx.CheckFields("filter", "nameOnly", "authorizedDatabases");
        if (ctx.Database != "admin")
        {
            throw new CommandError(ErrorCodes.Unauthorized, "listDatabases may only be run against the admin database.");
        }

        var nameOnly = ctx.GetBool("nameOnly");
        var filter = FilterCompiler.Compile(ctx.GetDocument("filter"));
        var list = new BsonArray();
        long total = 0;
        foreach (var db in ctx.Engine.Databases)
        {
            long size = 0;
            foreach (var c in db.Collections.Values)
            {
                lock (c.Sync)
                {
                    size += c.Count * 64L;
                }
            }

            var entry = nameOnly
                ? new BsonDocument("name", db.Name)
                : new BsonDocument { { "name", db.Name }, { "sizeOnDisk", size }, { "empty", false } };
            if (filter.Matches(entry))
            {
                list.Add(entry);
                total += size;
            }
        }

        var result = new BsonDocument("databases", list);
        if (!nameOnly)
        {
            result["totalSize"] = total;
            result["totalSizeMb"] = total / (1024 * 1024);
        }

        result["ok"] = 1.0;
        return result;
    }

    public BsonDocument ListCollections(CommandContext ctx)
    {
        ctx.CheckFields("filter", "nameOnly", "authorizedCollections", "cursor", "includePendingDrops");
        StandInEngine.ValidateDatabaseName(ctx.Database);
        var nameOnly = ctx.GetBool("nameOnly");
        var filter = FilterCompiler.Compile(ctx.GetDocument("filter"));
        var docs = new List<BsonDocument>();
        var db = ctx.Engine.Database(ctx.Database);
        foreach (var c in db.Collections.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var entry = nameOnly
                ? new BsonDocument { { "name", c.Name }, { "type", "collection" } }
                : new BsonDocument
                {
                    { "name", c.Name },
                    { "type", "collection" },
                    { "options", c.Options },
                    { "info", new BsonDocument { { "readOnly", false }, { "uuid", new BsonBinaryData(c.Uuid, GuidRepresentation.Standard) } } },
                    { "idIndex", CollectionState.IdIndexSpec },
                };
            if (filter.Matches(entry))
            {
                docs.Add(entry);
            }
        }

        var batchSize = ctx.GetDocument("cursor")?.GetValue("batchSize", BsonNull.Value) is { IsBsonNull: false } bs ? bs.ToInt32() : (int?)null;
        return CommandReplies.CursorReply(ctx, ctx.Database + ".$cmd.listCollections", docs, batchSize, singleBatch: false);
    }

    public async Task<BsonDocument> Create(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("capped", "size", "max", "autoIndexId", "idIndex", "validator", "validationLevel", "validationAction", "viewOn", "pipeline", "collation", "timeseries", "clusteredIndex", "expireAfterSeconds", "changeStreamPreAndPostImages", "storageEngine", "indexOptionDefaults", "encryptedFields", "flags");
        foreach (var unsupported in new[] { "capped", "validator", "viewOn", "timeseries", "clusteredIndex", "expireAfterSeconds", "changeStreamPreAndPostImages", "encryptedFields" })
        {
            if (ctx.Command.TryGetValue(unsupported, out var v) && !(v.BsonType == BsonType.Boolean && !v.AsBoolean))
            {
                throw CommandError.NotImplemented($"create option '{unsupported}'");
            }
        }

        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        var durability = new List<Task>();
        ctx.Engine.CreateCollection(ctx.Database, name, new BsonDocument(), durability);
        await Task.WhenAll(durability).ConfigureAwait(false);
        return new BsonDocument("ok", 1.0);
    }

    public async Task<BsonDocument> Drop(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields();
        var c = ctx.Engine.GetCollection(ctx.Database, name);
        var indexes = 0;
        if (c is not null)
        {
            lock (c.Sync)
            {
                indexes = c.Indexes.Count + 1;
            }
        }

        var durability = new List<Task>();
        var dropped = ctx.Engine.DropCollection(ctx.Database, name, durability);
        await Task.WhenAll(durability).ConfigureAwait(false);
        return dropped
            ? new BsonDocument { { "nIndexesWas", indexes }, { "ns", ctx.Database + "." + name }, { "ok", 1.0 } }
            : new BsonDocument("ok", 1.0);
    }

    public async Task<BsonDocument> DropDatabase(CommandContext ctx)
    {
        ctx.CheckFields();
        StandInEngine.ValidateDatabaseName(ctx.Database);
        var durability = new List<Task>();
        ctx.Engine.DropDatabase(ctx.Database, durability);
        await Task.WhenAll(durability).ConfigureAwait(false);
        return new BsonDocument { { "dropped", ctx.Database }, { "ok", 1.0 } };
    }

    public BsonDocument DbStats(CommandContext ctx)
    {
        var db = ctx.Engine.Database(ctx.Database);
        long objects = 0;
        long indexes = 0;
        foreach (var c in db.Collections.Values)
        {
            lock (c.Sync)
            {
                objects += c.Count;
                indexes += c.Indexes.Count + 1;
            }
        }

        return new BsonDocument
        {
            { "db", ctx.Database },
            { "collections", db.Collections.Count },
            { "views", 0 },
            { "objects", objects },
            { "indexes", indexes },
            { "ok", 1.0 },
        };
    }

    public BsonDocument CollStats(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        var c = ctx.Engine.GetCollection(ctx.Database, name) ?? throw new CommandError(ErrorCodes.NamespaceNotFound, $"Collection [{ctx.Database}.{name}] not found.");
        lock (c.Sync)
        {
            return new BsonDocument
            {
                { "ns", c.Ns },
                { "count", c.Count },
                { "nindexes", c.Indexes.Count + 1 },
                { "ok", 1.0 },
            };
        }
    }

    /// <summary>Custom diagnostics: per-collection counters of documents/keys examined by queries.</summary>
    public BsonDocument StandInStats(CommandContext ctx)
    {
        var collections = new BsonArray();
        IEnumerable<CollectionState> targets;
        if (ctx.Argument.BsonType == BsonType.String)
        {
            var c = ctx.Engine.GetCollection(ctx.Database, ctx.Argument.AsString);
            targets = c is null ? [] : [c];
        }
        else
        {
            targets = ctx.Engine.Database(ctx.Database).Collections.Values;
        }

        foreach (var c in targets)
        {
            lock (c.Sync)
            {
                collections.Add(new BsonDocument
                {
                    { "ns", c.Ns },
                    { "count", c.Count },
                    { "docsExamined", c.TotalDocsExamined },
                    { "keysExamined", c.TotalKeysExamined },
                    { "indexes", new BsonArray(c.Indexes.Select(i => new BsonDocument { { "name", i.Name }, { "entries", i.EntryCount } })) },
                });
            }
        }

        var result = new BsonDocument
        {
            { "collections", collections },
            { "cursorsOpen", ctx.Engine.Cursors.OpenCount },
            { "journal", ctx.Engine.Journal is null ? BsonNull.Value : new BsonDocument { { "records", ctx.Engine.Journal.RecordsWritten }, { "syncs", ctx.Engine.Journal.Syncs } } },
            { "ok", 1.0 },
        };
        return result;
    }

    internal static string Describe(BsonValue v) => BsonText.Format(v);
}
