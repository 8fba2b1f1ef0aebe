namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>distinct.</summary>
internal static class DistinctCommand
{
    public static BsonDocument Distinct(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("key", "query", "collation", "hint");
        ctx.RejectNonSimpleCollation(ctx.Command.GetValue("collation", BsonNull.Value));
        if (!ctx.Command.TryGetValue("key", out var key) || key.BsonType != BsonType.String)
        {
            throw new CommandError(40414, "BSON field 'distinct.key' is missing but a required field");
        }

        var parts = Paths.Split(key.AsString);
        var (hits, _, _) = QueryRunner.RunQuery(ctx, name, ctx.GetDocument("query"), ctx.Command.GetValue("hint", BsonNull.Value), 0);
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
}
