namespace TaskFlow.MongoStandIn.Commands;

/// <summary>The reply documents commands share: a cursor's first batch, a write result.</summary>
internal static class CommandReplies
{
    public static BsonDocument CursorReply(CommandContext ctx, string ns, List<BsonDocument> docs, int? batchSize, bool singleBatch)
    {
        var (batch, id) = ctx.Engine.Cursors.FirstBatch(ns, docs, batchSize, singleBatch);
        return new BsonDocument
        {
            { "cursor", new BsonDocument { { "firstBatch", batch }, { "id", id }, { "ns", ns } } },
            { "ok", 1.0 },
        };
    }

    public static BsonDocument WriteReply(int n, BsonArray writeErrors, BsonDocument? extra = null)
    {
        var reply = new BsonDocument("n", n);
        if (extra is not null)
        {
            reply.AddRange(extra);
        }

        if (writeErrors.Count > 0)
        {
            reply["writeErrors"] = writeErrors;
        }

        reply["ok"] = 1.0;
        return reply;
    }
}
