namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>findAndModify: one document updated, upserted or removed, returned before or after.</summary>
internal static class FindAndModifyCommand
{
    public static async Task<BsonDocument> FindAndModify(CommandContext ctx)
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
            QueryRunner.CheckHint(c, ctx.Command.GetValue("hint", BsonNull.Value));
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

                var inserted = c.Insert(UpsertDocument.Build(query, update), durability);
                return (returnNew ? inserted : null, new BsonDocument { { "n", 1 }, { "updatedExisting", false }, { "upserted", inserted["_id"] } });
            }

            if (remove)
            {
                c.Delete(hit.RecordId, durability);
                return (hit.Doc, new BsonDocument("n", 1));
            }

            var newDoc = update!.Apply(hit.Doc, hit.Position, isInsert: false);
            if (!DocumentBytes.Same(newDoc, hit.Doc))
            {
                c.Replace(hit.RecordId, newDoc, durability);
            }

            return (returnNew ? newDoc : hit.Doc, new BsonDocument { { "n", 1 }, { "updatedExisting", true } });
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        BsonValue shown = value is null ? BsonNull.Value : projection is null ? value : projection.Apply(value);
        return new BsonDocument { { "lastErrorObject", lastError }, { "value", shown }, { "ok", 1.0 } };
    }
}
