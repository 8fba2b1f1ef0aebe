namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>getMore and killCursors.</summary>
internal static class CursorCommands
{
    public static BsonDocument GetMore(CommandContext ctx)
    {
        ctx.CheckFields("collection", "batchSize", "term", "lastKnownCommittedOpTime");
        if (ctx.Argument.BsonType is not (BsonType.Int64 or BsonType.Int32))
        {
            throw new CommandError(ErrorCodes.TypeMismatch, $"BSON field 'getMore.getMore' is the wrong type '{BsonText.TypeName(ctx.Argument)}', expected type 'long'");
        }

        if (!ctx.Command.TryGetValue("collection", out var coll) || coll.BsonType != BsonType.String)
        {
            throw new CommandError(40414, "BSON field 'getMore.collection' is missing but a required field");
        }

        var batchSize = CrudArguments.BatchSize(ctx, ctx.Command.GetValue("batchSize", BsonNull.Value), "batchSize");
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

    public static BsonDocument KillCursors(CommandContext ctx)
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
}
