namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>update: replacement, operator and pipeline updates, multi and upsert.</summary>
internal static class UpdateCommand
{
    private static readonly string[] UpdateStatementFields = ["q", "u", "upsert", "multi", "arrayFilters", "hint", "collation", "c", "sort", "upsertSupplied"];

    public static async Task<BsonDocument> Update(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("updates", "ordered", "bypassDocumentValidation", "let");
        ctx.RejectLet();
        var statements = CrudArguments.Statements(ctx, "updates");
        var ordered = ctx.GetBool("ordered", true);
        var anyUpsert = statements.OfType<BsonDocument>().Any(s => s.GetValue("upsert", false).ToBoolean());
        var durability = new List<Task>();
        var writeErrors = new BsonArray();
        var upserted = new BsonArray();
        var n = 0;
        var nModified = 0;
        ctx.Engine.WithCollection(ctx.Database, name, create: anyUpsert, durability, c =>
        {
            WriteBatch.Run(statements, ordered, writeErrors, (statement, i) =>
            {
                var s = statement as BsonDocument ?? throw new CommandError(ErrorCodes.TypeMismatch, "update statements must be objects");
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

                QueryRunner.CheckHint(c, s.GetValue("hint", BsonNull.Value));
                if (c is null)
                {
                    return;
                }

                var (matched, modified, upsertedId) = ApplyUpdate(c, q, filter, update, multi, upsert, sort, durability);
                n += matched;
                nModified += modified;
                if (upsertedId is not null)
                {
                    n++;
                    upserted.Add(new BsonDocument { { "index", i }, { "_id", upsertedId } });
                }
            });

            return 0;
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        var extra = new BsonDocument("nModified", nModified);
        if (upserted.Count > 0)
        {
            extra["upserted"] = upserted;
        }

        return CommandReplies.WriteReply(n, writeErrors, extra);
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

            var inserted = c.Insert(UpsertDocument.Build(q, update), durability);
            return (0, 0, inserted["_id"]);
        }

        var modified = 0;
        foreach (var hit in hits)
        {
            var newDoc = update.Apply(hit.Doc, hit.Position, isInsert: false);
            if (!DocumentBytes.Same(newDoc, hit.Doc))
            {
                c.Replace(hit.RecordId, newDoc, durability);
                modified++;
            }
        }

        return (hits.Count, modified, null);
    }
}
