namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>aggregate (with a collection).</summary>
internal static class AggregateCommand
{
    private static readonly string[] AggregateFields =
    [
        "pipeline", "cursor", "explain", "allowDiskUse", "bypassDocumentValidation", "collation", "hint", "let", "fromMongos",
        "needsMerge", "isMapReduceCommand",
    ];

    public static BsonDocument Aggregate(CommandContext ctx)
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

        var batchSize = CrudArguments.BatchSize(ctx, cursor?.GetValue("batchSize", BsonNull.Value), "cursor.batchSize");
        var (docs, stats) = Execute(ctx, name, pipeline);
        if (explain)
        {
            return new BsonDocument
            {
                { "explainVersion", "1" },
                { "stages", new BsonArray(pipeline) },
                { "executionStats", ExplainCommand.ExecutionStats(stats, docs.Count) },
                { "ok", 1.0 },
            };
        }

        return CommandReplies.CursorReply(ctx, ctx.Database + "." + name, docs, batchSize, singleBatch: false);
    }

    public static (List<BsonDocument> Docs, QueryStats Stats) Execute(CommandContext ctx, string name, BsonArray pipeline)
    {
        var stats = new QueryStats();
        var (compiled, hits) = ctx.Engine.WithCollection(ctx.Database, name, create: false, [], c =>
        {
            var p = PipelineCompiler.Compile(pipeline, c?.FilterOptions ?? FilterCompileOptions.None, splitLeadingMatch: true);
            QueryRunner.CheckHint(c, ctx.Command.GetValue("hint", BsonNull.Value));
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
}
