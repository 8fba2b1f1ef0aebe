namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>find.</summary>
internal static class FindCommand
{
    private static readonly string[] FindFields =
    [
        "filter", "sort", "projection", "skip", "limit", "batchSize", "singleBatch", "hint", "collation", "let", "allowDiskUse",
        "noCursorTimeout", "returnKey", "showRecordId", "tailable", "awaitData", "allowPartialResults", "min", "max", "oplogReplay",
        "readOnce", "term",
    ];

    public static BsonDocument Find(CommandContext ctx)
    {
        var spec = Parse(ctx);
        var (docs, _) = Execute(ctx, spec);
        var batchSize = spec.BatchSize;
        if (spec.Limit > 0 && (batchSize is null || batchSize > spec.Limit))
        {
            batchSize = (int)Math.Min(spec.Limit, batchSize ?? 101);
        }

        return CommandReplies.CursorReply(ctx, ctx.Database + "." + spec.Collection, docs, batchSize, spec.SingleBatch);
    }

    public static FindSpec Parse(CommandContext ctx)
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

        var batchSize = CrudArguments.BatchSize(ctx, ctx.Command.GetValue("batchSize", BsonNull.Value), "batchSize");
        var projectionDoc = ctx.GetDocument("projection");
        var projection = projectionDoc is null || projectionDoc.ElementCount == 0 ? null : Projection.Compile(projectionDoc, findMode: true);
        var sort = SortSpec.Parse(ctx.Command.GetValue("sort", BsonNull.Value));
        return new FindSpec(name, ctx.GetDocument("filter"), sort, projection, skip, limit, batchSize, singleBatch, ctx.Command.GetValue("hint", BsonNull.Value));
    }

    public static (List<BsonDocument> Docs, QueryStats Stats) Execute(CommandContext ctx, FindSpec spec)
    {
        var stopAfter = spec.Sort is null && spec.Limit > 0 ? (int)Math.Min(int.MaxValue, spec.Skip + spec.Limit) : 0;
        var (hits, stats, _) = QueryRunner.RunQuery(ctx, spec.Collection, spec.Filter, spec.Hint, stopAfter);
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
}
