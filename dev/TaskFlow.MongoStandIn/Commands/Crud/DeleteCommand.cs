namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>delete.</summary>
internal static class DeleteCommand
{
    public static async Task<BsonDocument> Delete(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("deletes", "ordered", "let");
        ctx.RejectLet();
        var statements = CrudArguments.Statements(ctx, "deletes");
        var ordered = ctx.GetBool("ordered", true);
        var durability = new List<Task>();
        var writeErrors = new BsonArray();
        var n = 0;
        ctx.Engine.WithCollection(ctx.Database, name, create: false, durability, c =>
        {
            WriteBatch.Run(statements, ordered, writeErrors, (statement, _) => n += DeleteOne(ctx, c, statement, durability));
            return 0;
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        return CommandReplies.WriteReply(n, writeErrors);
    }

    /// <summary>Runs one delete statement under the collection lock; returns how many documents it removed.</summary>
    private static int DeleteOne(CommandContext ctx, CollectionState? c, BsonValue statement, List<Task> durability)
    {
        var s = statement as BsonDocument ?? throw new CommandError(ErrorCodes.TypeMismatch, "delete statements must be objects");
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
            throw new CommandError(ErrorCodes.FailedToParse, $"The limit field in delete objects must be 0 or 1. Got {BsonText.Format(limitValue)}");
        }

        ctx.RejectNonSimpleCollation(s.GetValue("collation", BsonNull.Value));
        var filter = FilterCompiler.Compile(q, c?.FilterOptions ?? FilterCompileOptions.None);
        QueryRunner.CheckHint(c, s.GetValue("hint", BsonNull.Value));
        if (c is null)
        {
            return 0;
        }

        var n = 0;
        foreach (var hit in c.Find(filter, new QueryStats(), limit == 1 ? 1 : 0))
        {
            c.Delete(hit.RecordId, durability);
            n++;
        }

        return n;
    }
}
