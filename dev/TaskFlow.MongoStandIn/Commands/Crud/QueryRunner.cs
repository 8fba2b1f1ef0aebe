namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>Runs a filter against a collection, checking the hint first.</summary>
internal static class QueryRunner
{
    public static void CheckHint(CollectionState? c, BsonValue? hint)
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

    public static (List<QueryHit> Hits, QueryStats Stats, bool Exists) RunQuery(CommandContext ctx, string coll, BsonDocument? filterDoc, BsonValue? hint, int stopAfter)
    {
        var stats = new QueryStats();
        return ctx.Engine.WithCollection(ctx.Database, coll, create: false, [], c =>
        {
            var filter = FilterCompiler.Compile(filterDoc, c?.FilterOptions ?? FilterCompileOptions.None);
            CheckHint(c, hint);
            return c is null ? ([], stats, false) : (c.Find(filter, stats, stopAfter), stats, true);
        });
    }
}
