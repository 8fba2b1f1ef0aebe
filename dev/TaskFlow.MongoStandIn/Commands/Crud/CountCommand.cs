namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>count.</summary>
internal static class CountCommand
{
    public static BsonDocument Count(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("query", "limit", "skip", "hint", "collation", "fields");
        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        var skip = Math.Max(0, ctx.GetLong("skip") ?? 0);
        var limit = Math.Abs(ctx.GetLong("limit") ?? 0);
        var (hits, _, _) = QueryRunner.RunQuery(ctx, name, ctx.GetDocument("query"), ctx.Command.GetValue("hint", BsonNull.Value), limit > 0 ? (int)Math.Min(int.MaxValue, skip + limit) : 0);
        var n = Math.Max(0, hits.Count - skip);
        if (limit > 0)
        {
            n = Math.Min(n, limit);
        }

        return new BsonDocument { { "n", (int)n }, { "ok", 1.0 } };
    }
}
