namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>insert.</summary>
internal static class InsertCommand
{
    public static async Task<BsonDocument> Insert(CommandContext ctx)
    {
        var name = ctx.CollectionName();
        ctx.CheckFields("documents", "ordered", "bypassDocumentValidation", "let");
        var docs = CrudArguments.Statements(ctx, "documents");
        var ordered = ctx.GetBool("ordered", true);
        var durability = new List<Task>();
        var writeErrors = new BsonArray();
        var n = ctx.Engine.WithCollection(ctx.Database, name, create: true, durability, c =>
        {
            var count = 0;
            WriteBatch.Run(docs, ordered, writeErrors, (statement, _) =>
            {
                if (statement is not BsonDocument doc)
                {
                    throw new CommandError(ErrorCodes.TypeMismatch, "documents to insert must be objects");
                }

                c!.Insert(doc, durability);
                count++;
            });

            return count;
        });
        await Task.WhenAll(durability).ConfigureAwait(false);
        return CommandReplies.WriteReply(n, writeErrors);
    }
}
