using System.Diagnostics;
using MongoDB.Bson;
using TaskFlow.MongoStandIn.Aggregation;
using TaskFlow.MongoStandIn.Bson;
using TaskFlow.MongoStandIn.Query;
using TaskFlow.MongoStandIn.Storage;
using TaskFlow.MongoStandIn.Update;

namespace TaskFlow.MongoStandIn.Commands;

internal sealed class CrudCommands
{
    private static readonly string[] FindFields =
    [
        "filter", "sort", "projection", "skip", "limit", "batchSize", "singleBatch", "hint", "collation", "let", "allowDiskUse",
        "noCursorTimeout", "returnKey", "showRecordId", "tailable", "awaitData", "allowPartialResults", "min", "max", "oplogReplay",
        "readOnce", "term",
    ];

    public static BsonDocument CursorReply(CommandContext ctx, string ns, List<BsonDocument> docs, int? batchSize, bool singleBatch)
    {
        var (batch, id) = ctx.Engine.Cursors.FirstBatch(ns, docs, batchSize, singleBatch);
        return new BsonDocument
        {
            { "cursor", new BsonDocument { { "firstBatch", batch }, { "id", id }, { "ns", ns } } },
            { "ok", 1.0 },
        };
    }

    private static int? BatchSize(CommandContext ctx, BsonValue? value, string field)
    {
        if (value is null || value.IsBsonNull)
        {
            return null;
        }

        if (!BsonOrder.IsNumber(value))
        {
            throw new CommandError(ErrorCodes.TypeMismatch, $"BSON field '{field}' is the wrong type '{BsonOrder.TypeName(value)}', expected types '[long, int, decimal, double']");
        }

        var n = (long)BsonOrder.ToDouble(value);
        if (n < 0)
        {
            throw new CommandError(51024, $"BSON field '{field}' value must be >= 0, actual value '{n}'");
        }

        return (int)Math.Min(n, int.MaxValue);
    }

    private static void CheckHint(CollectionState? c, BsonValue? hint)
    {
        if (hint is null || hint.IsBsonNull || c is null)
        {
            return;
        }

        if (hint.BsonType == BsonType.String)
        {
            if (hint.AsString == "_id_" || c.Indexes.Any(i => i.Name == hint.AsString))
            {
                return;
            }
        }
        else if (hint is BsonDocument hd)
        {
            if (hd.ElementCount == 0 || (hd.ElementCount == 1 && hd.GetElement(0).Name == "$natural"))
            {
                return;
            }

            if (BsonOrder.Compare(hd, new BsonDocument("_id", 1)) == 0 || c.Indexes.Any(i => BsonOrder.Compare(i.Key, hd) == 0))
            {
                return;
            }
        }

        throw CommandError.BadValue("hint provided does not correspond to an existing index");
    }

    private static (List<QueryHit> Hits, QueryStats Stats, bool Exists) RunQuery(CommandContext ctx, string coll, BsonDocument? filterDoc, BsonValue? hint, int stopAfter)
    {
        var stats = new QueryStats();
        return ctx.Engine.WithCollection(ctx.Database, coll, create: false, [], c =>
        {
            var filter = FilterCompiler.Compile(filterDoc, c?.FilterOptions ?? FilterCompileOptions.None);
            CheckHint(c, hint);
            return c is null ? ([], stats, false) : (c.Find(filter, stats, stopAfter), stats, true);
        });
    }

    private sealed record FindSpec(string Collection, BsonDocument? Filter, SortSpec? Sort, Projection? Projection, long Skip, long Limit, int? BatchSize, bool SingleBatch, BsonValue? Hint);

    private static FindSpec ParseFind(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields(FindFields);
        foreach (var f in new[] { "returnKey", "showRecordId", "tailable", "awaitData" })
        {
            if (ctx.GetBool(f))
            {
                throw CommandError.NotImplemented($"find option '{f}'");
            }
        }

        foreach (var f in new[] { "min", "max" })
        {
            if (ctx.Command.Contains(f))
            {
                throw CommandError.NotImplemented($"find option '{f}'");
            }
        }

        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        ctx.RejectLet();
        var skip = ctx.GetLong("skip") ?? 0;
        if (skip < 0)
        {
            throw new CommandError(51024, $"BSON field 'skip' value must be >= 0, actual value '{skip}'");
        }

        var limit = ctx.GetLong("limit") ?? 0;
        var singleBatch = ctx.GetBool("singleBatch");
        if (limit < 0)
        {
            throw new CommandError(51024, $"BSON field 'limit' value must be >= 0, actual value '{limit}'");
        }

        var batchSize = BatchSize(ctx, ctx.Command.GetValue("batchSize", BsonNull.Value), "batchSize");
        var projectionDoc = ctx.GetDocument("projection");
        var projection = projectionDoc is null || projectionDoc.ElementCount == 0 ? null : Projection.Compile(projectionDoc, findMode: true);
        var sort = SortSpec.Parse(ctx.Command.GetValue("sort", BsonNull.Value));
        return new FindSpec(name, ctx.GetDocument("filter"), sort, projection, skip, limit, batchSize, singleBatch, ctx.Command.GetValue("hint", BsonNull.Value));
    }

    private static (List<BsonDocument> Docs, QueryStats Stats) ExecuteFind(CommandContext ctx, FindSpec spec)
    {
        var stopAfter = spec.Sort is null && spec.Limit > 0 ? (int)Math.Min(int.MaxValue, spec.Skip + spec.Limit) : 0;
        var (hits, stats, _) = RunQuery(ctx, spec.Collection, spec.Filter, spec.Hint, stopAfter);
        IEnumerable<QueryHit> ordered = spec.Sort is null ? hits : spec.Sort.Sort(hits, h => h.Doc, h => h.Score);
        if (spec.Skip > 0)
        {
            ordered = ordered.Skip((int)Math.Min(int.MaxValue, spec.Skip));
        }

        if (spec.Limit > 0)
        {
            ordered = ordered.Take((int)Math.Min(int.MaxValue, spec.Limit));
        }

        var docs = ordered.Select(h => spec.Projection is null ? h.Doc : spec.Projection.Apply(h.Doc, new MatchContext { ArrayPosition = h.Position }, h.Score)).ToList();
        return (docs, stats);
    }

    public BsonDocument Find(CommandContext ctx)
    {
        var spec = ParseFind(ctx);
        var (docs, _) = ExecuteFind(ctx, spec);
        var batchSize = spec.BatchSize;
        if (spec.Limit > 0 && (batchSize is null || batchSize > spec.Limit))
        {
            batchSize = (int)Math.Min(spec.Limit, batchSize ?? 101);
        }

        return CursorReply(ctx, ctx.Database + "." + spec.Collection, docs, batchSize, spec.SingleBatch);
    }

    public BsonDocument GetMore(CommandContext ctx)
    {
        ctx.CheckFields("collection", "batchSize", "term", "lastKnownCommittedOpTime");
        if (ctx.Argument.BsonType is not (BsonType.Int64 or BsonType.Int32))
        {
            throw new CommandError(ErrorCodes.TypeMismatch, $"BSON field 'getMore.getMore' is the wrong type '{BsonOrder.TypeName(ctx.Argument)}', expected type 'long'");
        }

        if (!ctx.Command.TryGetValue("collection", out var coll) || coll.BsonType != BsonType.String)
        {
            throw new CommandError(40414, "BSON field 'getMore.collection' is missing but a required field");
        }

        var batchSize = BatchSize(ctx, ctx.Command.GetValue("batchSize", BsonNull.Value), "batchSize");
        if (batchSize == 0)
        {
            batchSize = null;
        }

        var (batch, id, ns) = ctx.Engine.Cursors.GetMore(ctx.Argument.ToInt64(), ctx.Database + "." + coll.AsString, batchSize);
        return new BsonDocument
        {
            { "cursor", new BsonDocument { { "nextBatch", batch }, { "id", id }, { "ns", ns } } },
            { "ok", 1.0 },
        };
    }

    public BsonDocument KillCursors(CommandContext ctx)
    {
        ctx.CheckFields("cursors");
        var killed = new BsonArray();
        var notFound = new BsonArray();
        if (ctx.Command.GetValue("cursors", BsonNull.Value) is not BsonArray ids)
        {
            throw new CommandError(40414, "BSON field 'killCursors.cursors' is missing but a required field");
        }

        foreach (var id in ids)
        {
            if (ctx.Engine.Cursors.Kill(id.ToInt64()))
            {
                killed.Add(id);
            }
            else
            {
                notFound.Add(id);
            }
        }

        return new BsonDocument
        {
            { "cursorsKilled", killed },
            { "cursorsNotFound", notFound },
            { "cursorsAlive", new BsonArray() },
            { "cursorsUnknown", new BsonArray() },
            { "ok", 1.0 },
        };
    }

    private static BsonArray Statements(CommandContext ctx, string field)
    {
        if (ctx.Command.GetValue(field, BsonNull.Value) is not BsonArray arr)
        {
            throw new CommandError(40414, $"BSON field '{ctx.Name}.{field}' is missing but a required field");
        }

        if (arr.Count == 0 || arr.Count > 100000)
        {
            throw new CommandError(16, $"Write batch sizes must be between 1 and 100000. Got {arr.Count} operations.");
        }

        return arr;
    }

    private static BsonDocument WriteReply(int n, BsonArray writeErrors, BsonDocument? extra = null)
    {
        var reply = new BsonDocument("n", n);
        if (extra is not null)
        {
            reply.AddRange(extra);
        }

        if (writeErrors.Count > 0)
        {
            reply["writeErrors"] = writeErrors;
        }

        reply["ok"] = 1.0;
        return reply;
    }

    public async Task<BsonDocument> Insert(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("documents", "ordered", "bypassDocumentValidation", "let");
        var docs = Statements(ctx, "documents");
        var ordered = ctx.GetBool("ordered", true);
        var durability = new List<Task>();
        var writeErrors = new BsonArray();
        var n = ctx.Engine.WithCollection(ctx.Database, name, create: true, durability, c =>
        {
            var count = 0;
            for (var i = 0; i < docs.Count; i++)
            {
                try
                {
                    if (docs[i] is not BsonDocument doc)
                    {
                        throw new CommandError(ErrorCodes.TypeMismatch, "documents to insert must be objects");
                    }

                    c!.Insert(doc, durability);
                    count++;
                }
                catch (CommandError e)
                {
                    writeErrors.Add(e.ToWriteError(i));
                    if (ordered)
                    {
                        break;
                    }
                }
            }

            return count;
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        return WriteReply(n, writeErrors);
    }

    private static readonly string[] UpdateStatementFields = ["q", "u", "upsert", "multi", "arrayFilters", "hint", "collation", "c", "sort", "upsertSupplied"];

    public async Task<BsonDocument> Update(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("updates", "ordered", "bypassDocumentValidation", "let");
        ctx.RejectLet();
        var statements = Statements(ctx, "updates");
        var ordered = ctx.GetBool("ordered", true);
        var anyUpsert = statements.OfType<BsonDocument>().Any(s => s.GetValue("upsert", false).ToBoolean());
        var durability = new List<Task>();
        var writeErrors = new BsonArray();
        var upserted = new BsonArray();
        var n = 0;
        var nModified = 0;
        ctx.Engine.WithCollection(ctx.Database, name, create: anyUpsert, durability, c =>
        {
            for (var i = 0; i < statements.Count; i++)
            {
                try
                {
                    var s = statements[i] as BsonDocument ?? throw new CommandError(ErrorCodes.TypeMismatch, "update statements must be objects");
                    foreach (var f in s.Names)
                    {
                        if (!UpdateStatementFields.Contains(f))
                        {
                            throw new CommandError(ErrorCodes.UnknownField, $"BSON field 'update.updates.{f}' is an unknown field.");
                        }
                    }

                    var q = s.GetValue("q", BsonNull.Value) as BsonDocument ?? throw new CommandError(40414, "BSON field 'update.updates.q' is missing but a required field");
                    var u = s.GetValue("u", BsonNull.Value);
                    if (u.IsBsonNull)
                    {
                        throw new CommandError(40414, "BSON field 'update.updates.u' is missing but a required field");
                    }

                    var multi = s.GetValue("multi", false).ToBoolean();
                    var upsert = s.GetValue("upsert", false).ToBoolean();
                    ctx.RejectNonSimpleCollation(s.GetValue("collation", BsonNull.Value));
                    if (s.GetValue("c", BsonNull.Value) is BsonDocument cd && cd.ElementCount > 0)
                    {
                        throw CommandError.NotImplemented("let variables");
                    }

                    var hasArrayFilters = s.GetValue("arrayFilters", BsonNull.Value) is BsonArray af && af.Count > 0;
                    var filter = FilterCompiler.Compile(q, c?.FilterOptions ?? FilterCompileOptions.None);
                    var update = CompiledUpdate.Compile(u, hasArrayFilters);
                    var sort = SortSpec.Parse(s.GetValue("sort", BsonNull.Value));
                    if (multi && update.Kind == UpdateKind.Replacement)
                    {
                        throw new CommandError(ErrorCodes.FailedToParse, "multi update is not supported for replacement-style update");
                    }

                    CheckHint(c, s.GetValue("hint", BsonNull.Value));
                    if (c is null)
                    {
                        continue;
                    }

                    var (matched, modified, upsertedId) = ApplyUpdate(c, q, filter, update, multi, upsert, sort, durability);
                    n += matched;
                    nModified += modified;
                    if (upsertedId is not null)
                    {
                        n++;
                        upserted.Add(new BsonDocument { { "index", i }, { "_id", upsertedId } });
                    }
                }
                catch (CommandError e)
                {
                    writeErrors.Add(e.ToWriteError(i));
                    if (ordered)
                    {
                        break;
                    }
                }
            }

            return 0;
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        var extra = new BsonDocument("nModified", nModified);
        if (upserted.Count > 0)
        {
            extra["upserted"] = upserted;
        }

        return WriteReply(n, writeErrors, extra);
    }

    /// <summary>Applies one update statement under the collection lock.</summary>
    private static (int Matched, int Modified, BsonValue? UpsertedId) ApplyUpdate(
        CollectionState c, BsonDocument q, CompiledFilter filter, CompiledUpdate update, bool multi, bool upsert, SortSpec? sort, List<Task> durability)
    {
        var stats = new QueryStats();
        var hits = c.Find(filter, stats, multi || sort is not null ? 0 : 1);
        if (sort is not null && !multi)
        {
            hits = sort.Sort(hits, h => h.Doc, h => h.Score).Take(1).ToList();
        }

        if (hits.Count == 0)
        {
            if (!upsert)
            {
                return (0, 0, null);
            }

            var inserted = c.Insert(BuildUpsertDocument(q, update), durability);
            return (0, 0, inserted["_id"]);
        }

        var modified = 0;
        foreach (var hit in hits)
        {
            var newDoc = update.Apply(hit.Doc, hit.Position, isInsert: false);
            if (!SameBytes(newDoc, hit.Doc))
            {
                c.Replace(hit.RecordId, newDoc, durability);
                modified++;
            }
        }

        return (hits.Count, modified, null);
    }

    private static BsonDocument BuildUpsertDocument(BsonDocument q, CompiledUpdate update)
    {
        BsonDocument seed;
        if (update.Kind == UpdateKind.Replacement)
        {
            seed = new BsonDocument();
            var fromQuery = CompiledUpdate.SeedFromQuery(q);
            if (fromQuery.TryGetValue("_id", out var id))
            {
                seed["_id"] = id;
            }
        }
        else
        {
            seed = CompiledUpdate.SeedFromQuery(q);
        }

        var doc = update.Apply(seed, null, isInsert: true);
        return CollectionState.NormalizeForInsert(doc);
    }

    private static bool SameBytes(BsonDocument a, BsonDocument b) => a.ToBson().AsSpan().SequenceEqual(b.ToBson());

    public async Task<BsonDocument> Delete(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("deletes", "ordered", "let");
        ctx.RejectLet();
        var statements = Statements(ctx, "deletes");
        var ordered = ctx.GetBool("ordered", true);
        var durability = new List<Task>();
        var writeErrors = new BsonArray();
        var n = 0;
        ctx.Engine.WithCollection(ctx.Database, name, create: false, durability, c =>
        {
            for (var i = 0; i < statements.Count; i++)
            {
                try
                {
                    var s = statements[i] as BsonDocument ?? throw new CommandError(ErrorCodes.TypeMismatch, "delete statements must be objects");
                    foreach (var f in s.Names)
                    {
                        if (f is not ("q" or "limit" or "collation" or "hint"))
                        {
                            throw new CommandError(ErrorCodes.UnknownField, $"BSON field 'delete.deletes.{f}' is an unknown field.");
                        }
                    }

                    var q = s.GetValue("q", BsonNull.Value) as BsonDocument ?? throw new CommandError(40414, "BSON field 'delete.deletes.q' is missing but a required field");
                    if (!s.TryGetValue("limit", out var limitValue) || !BsonOrder.IsNumber(limitValue))
                    {
                        throw new CommandError(40414, "BSON field 'delete.deletes.limit' is missing but a required field");
                    }

                    var limit = BsonOrder.ToDouble(limitValue);
                    if (limit != 0 && limit != 1)
                    {
                        throw new CommandError(ErrorCodes.FailedToParse, $"The limit field in delete objects must be 0 or 1. Got {BsonOrder.Format(limitValue)}");
                    }

                    ctx.RejectNonSimpleCollation(s.GetValue("collation", BsonNull.Value));
                    var filter = FilterCompiler.Compile(q, c?.FilterOptions ?? FilterCompileOptions.None);
                    CheckHint(c, s.GetValue("hint", BsonNull.Value));
                    if (c is null)
                    {
                        continue;
                    }

                    foreach (var hit in c.Find(filter, new QueryStats(), limit == 1 ? 1 : 0))
                    {
                        c.Delete(hit.RecordId, durability);
                        n++;
                    }
                }
                catch (CommandError e)
                {
                    writeErrors.Add(e.ToWriteError(i));
                    if (ordered)
                    {
                        break;
                    }
                }
            }

            return 0;
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        return WriteReply(n, writeErrors);
    }

    public async Task<BsonDocument> FindAndModify(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("query", "sort", "remove", "update", "new", "fields", "upsert", "bypassDocumentValidation", "collation", "arrayFilters", "hint", "let");
        ctx.RejectLet();
        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        var query = ctx.GetDocument("query") ?? new BsonDocument();
        var sort = SortSpec.Parse(ctx.Command.GetValue("sort", BsonNull.Value));
        var remove = ctx.GetBool("remove");
        var returnNew = ctx.GetBool("new");
        var upsert = ctx.GetBool("upsert");
        var hasUpdate = ctx.Command.TryGetValue("update", out var updateValue) && !updateValue.IsBsonNull;
        if (remove && hasUpdate)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "Cannot specify both an update and remove=true");
        }

        if (!remove && !hasUpdate)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "Either an update or remove=true must be specified");
        }

        if (remove && upsert)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "Cannot specify both upsert=true and remove=true ");
        }

        if (remove && returnNew)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
        }

        var fieldsDoc = ctx.GetDocument("fields");
        var projection = fieldsDoc is null || fieldsDoc.ElementCount == 0 ? null : Projection.Compile(fieldsDoc, findMode: true);
        var hasArrayFilters = ctx.Command.GetValue("arrayFilters", BsonNull.Value) is BsonArray af && af.Count > 0;
        var update = hasUpdate ? CompiledUpdate.Compile(updateValue!, hasArrayFilters) : null;
        var durability = new List<Task>();
        var (value, lastError) = ctx.Engine.WithCollection(ctx.Database, name, create: upsert, durability, c =>
        {
            var filter = FilterCompiler.Compile(query, c?.FilterOptions ?? FilterCompileOptions.None);
            CheckHint(c, ctx.Command.GetValue("hint", BsonNull.Value));
            if (c is null)
            {
                return ((BsonDocument?)null, new BsonDocument { { "n", 0 }, { "updatedExisting", false } });
            }

            var hits = c.Find(filter, new QueryStats(), sort is null ? 1 : 0);
            var hit = (sort is null ? hits : sort.Sort(hits, h => h.Doc, h => h.Score)).FirstOrDefault();
            if (hit is null)
            {
                if (!upsert || update is null)
                {
                    return (null, new BsonDocument { { "n", 0 }, { "updatedExisting", false } });
                }

                var inserted = c.Insert(BuildUpsertDocument(query, update), durability);
                return (returnNew ? inserted : null, new BsonDocument { { "n", 1 }, { "updatedExisting", false }, { "upserted", inserted["_id"] } });
            }

            if (remove)
            {
                c.Delete(hit.RecordId, durability);
                return (hit.Doc, new BsonDocument("n", 1));
            }

            var newDoc = update!.Apply(hit.Doc, hit.Position, isInsert: false);
            if (!SameBytes(newDoc, hit.Doc))
            {
                c.Replace(hit.RecordId, newDoc, durability);
            }

            return (returnNew ? newDoc : hit.Doc, new BsonDocument { { "n", 1 }, { "updatedExisting", true } });
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        BsonValue shown = value is null ? BsonNull.Value : projection is null ? value : projection.Apply(value);
        return new BsonDocument { { "lastErrorObject", lastError }, { "value", shown }, { "ok", 1.0 } };
    }

    public BsonDocument Count(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("query", "limit", "skip", "hint", "collation", "fields");
        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        var skip = Math.Max(0, ctx.GetLong("skip") ?? 0);
        var limit = Math.Abs(ctx.GetLong("limit") ?? 0);
        var (hits, _, _) = RunQuery(ctx, name, ctx.GetDocument("query"), ctx.Command.GetValue("hint", BsonNull.Value), limit > 0 ? (int)Math.Min(int.MaxValue, skip + limit) : 0);
        var n = Math.Max(0, hits.Count - skip);
        if (limit > 0)
        {
            n = Math.Min(n, limit);
        }

        return new BsonDocument { { "n", (int)n }, { "ok", 1.0 } };
    }

    public BsonDocument Distinct(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("key", "query", "collation", "hint");
        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        if (!ctx.Command.TryGetValue("key", out var key) || key.BsonType != BsonType.String)
        {
            throw new CommandError(40414, "BSON field 'distinct.key' is missing but a required field");
        }

        var parts = Paths.Split(key.AsString);
        var (hits, _, _) = RunQuery(ctx, name, ctx.GetDocument("query"), ctx.Command.GetValue("hint", BsonNull.Value), 0);
        var seen = new HashSet<BsonValue?>(BsonOrder.EqualityComparer);
        var values = new List<BsonValue>();
        foreach (var h in hits)
        {
            foreach (var v in Paths.Collect(h.Doc, parts, expandLeafArrays: true))
            {
                if (seen.Add(v))
                {
                    values.Add(v);
                }
            }
        }

        values.Sort(BsonOrder.Comparer);
        return new BsonDocument { { "values", new BsonArray(values) }, { "ok", 1.0 } };
    }

    private static readonly string[] AggregateFields =
    [
        "pipeline", "cursor", "explain", "allowDiskUse", "bypassDocumentValidation", "collation", "hint", "let", "fromMongos",
        "needsMerge", "isMapReduceCommand",
    ];

    public BsonDocument Aggregate(CommandContext ctx)
    {
        if (ctx.Argument.BsonType != BsonType.String)
        {
            throw CommandError.NotImplemented("collection-less aggregate ({aggregate: 1})");
        }

        var name = ctx.CollectionName();
        ctx.CheckFields(AggregateFields);
        ctx.RejectLet();
        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        var pipeline = ctx.Command.GetValue("pipeline", BsonNull.Value) as BsonArray
            ?? throw new CommandError(ErrorCodes.TypeMismatch, "'pipeline' option must be specified as an array");
        var explain = ctx.GetBool("explain");
        var cursor = ctx.GetDocument("cursor");
        if (cursor is null && !explain)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
        }

        var batchSize = BatchSize(ctx, cursor?.GetValue("batchSize", BsonNull.Value), "cursor.batchSize");
        var (docs, stats) = ExecuteAggregate(ctx, name, pipeline);
        if (explain)
        {
            return new BsonDocument
            {
                { "explainVersion", "1" },
                { "stages", new BsonArray(pipeline) },
                { "executionStats", ExecutionStats(stats, docs.Count) },
                { "ok", 1.0 },
            };
        }

        return CursorReply(ctx, ctx.Database + "." + name, docs, batchSize, singleBatch: false);
    }

    private static (List<BsonDocument> Docs, QueryStats Stats) ExecuteAggregate(CommandContext ctx, string name, BsonArray pipeline)
    {
        var stats = new QueryStats();
        var (compiled, hits) = ctx.Engine.WithCollection(ctx.Database, name, create: false, [], c =>
        {
            var p = PipelineCompiler.Compile(pipeline, c?.FilterOptions ?? FilterCompileOptions.None, splitLeadingMatch: true);
            CheckHint(c, ctx.Command.GetValue("hint", BsonNull.Value));
            if (c is null)
            {
                return (p, new List<QueryHit>());
            }

            return (p, c.Find(p.LeadingMatch ?? FilterCompiler.Compile(null), stats));
        });
        var pctx = new PipelineContext(other => ctx.Engine.WithCollection(ctx.Database, other, create: false, [], c => (IReadOnlyList<BsonDocument>?)c?.Snapshot() ?? []));
        if (compiled.LeadingMatch?.UsesText == true)
        {
            foreach (var h in hits)
            {
                pctx.TextScores[h.Doc] = h.Score;
            }
        }

        return (compiled.Execute(hits.Select(h => h.Doc), pctx).ToList(), stats);
    }

    private static BsonDocument Plan(QueryStats stats, BsonDocument? filter, CollectionState? c)
    {
        var filterDoc = filter ?? new BsonDocument();
        return stats.Stage switch
        {
            "IDHACK" => new BsonDocument { { "stage", "IDHACK" } },
            "IXSCAN" => new BsonDocument
            {
                { "stage", "FETCH" },
                { "filter", filterDoc },
                {
                    "inputStage", new BsonDocument
                    {
                        { "stage", "IXSCAN" },
                        { "indexName", stats.IndexName ?? string.Empty },
                        { "keyPattern", c?.Indexes.FirstOrDefault(i => i.Name == stats.IndexName)?.Key ?? new BsonDocument("_id", 1) },
                    }
                },
            },
            _ => new BsonDocument { { "stage", stats.Stage == "EOF" ? "EOF" : "COLLSCAN" }, { "filter", filterDoc }, { "direction", "forward" } },
        };
    }

    private static BsonDocument ExecutionStats(QueryStats stats, int nReturned) => new()
    {
        { "executionSuccess", true },
        { "nReturned", nReturned },
        { "executionTimeMillis", 0 },
        { "totalKeysExamined", stats.KeysExamined },
        { "totalDocsExamined", stats.DocsExamined },
    };

    public BsonDocument Explain(CommandContext ctx)
    {
        ctx.CheckFields("verbosity");
        if (ctx.Argument is not BsonDocument inner || inner.ElementCount == 0)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "explain command requires a nested object");
        }

        var verbosity = ctx.Command.GetValue("verbosity", "allPlansExecution").AsString;
        var innerDoc = new BsonDocument(inner.Elements.Where(e => e.Name != "$db"));
        var innerCtx = new CommandContext(ctx.Engine, ctx.Database, innerDoc, ctx.ConnectionId, ctx.IsLegacy);
        var sw = Stopwatch.StartNew();
        QueryStats stats;
        int nReturned;
        BsonDocument? filter;
        string coll;
        switch (innerCtx.Name)
        {
            case "find":
                {
                    var spec = ParseFind(innerCtx);
                    var (docs, s) = ExecuteFind(innerCtx, spec);
                    stats = s;
                    nReturned = docs.Count;
                    filter = spec.Filter;
                    coll = spec.Collection;
                    break;
                }

            case "count":
            case "distinct":
                {
                    coll = innerCtx.CollectionName();
                    filter = innerCtx.GetDocument("query");
                    var (hits, s, _) = RunQuery(innerCtx, coll, filter, innerDoc.GetValue("hint", BsonNull.Value), 0);
                    stats = s;
                    nReturned = hits.Count;
                    break;
                }

            case "aggregate":
                {
                    coll = innerCtx.CollectionName();
                    var pipeline = innerDoc.GetValue("pipeline", new BsonArray()).AsBsonArray;
                    var (docs, s) = ExecuteAggregate(innerCtx, coll, pipeline);
                    stats = s;
                    nReturned = docs.Count;
                    filter = pipeline.Count > 0 && pipeline[0] is BsonDocument first && first.Contains("$match") ? first["$match"].AsBsonDocument : null;
                    break;
                }

            default:
                throw CommandError.NotImplemented($"explain of '{innerCtx.Name}'");
        }

        var c = ctx.Engine.GetCollection(ctx.Database, coll);
        var plan = Plan(stats, filter, c);
        var result = new BsonDocument
        {
            { "explainVersion", "1" },
            {
                "queryPlanner", new BsonDocument
                {
                    { "namespace", ctx.Database + "." + coll },
                    { "parsedQuery", filter ?? new BsonDocument() },
                    { "winningPlan", plan },
                    { "rejectedPlans", new BsonArray() },
                }
            },
        };
        if (verbosity != "queryPlanner")
        {
            var es = ExecutionStats(stats, nReturned);
            es["executionTimeMillis"] = (int)sw.ElapsedMilliseconds;
            es["executionStages"] = plan;
            result["executionStats"] = es;
        }

        result["command"] = innerDoc;
        result["serverInfo"] = new BsonDocument { { "host", "127.0.0.1" }, { "version", AdminCommands.Version } };
        result["ok"] = 1.0;
        return result;
    }
}
