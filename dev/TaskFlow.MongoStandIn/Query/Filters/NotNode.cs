namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>Negation; the array position a negated branch recorded is not kept.</summary>
internal sealed class NotNode(FilterNode inner) : FilterNode
{
    public override bool UsesText => inner.UsesText;

    public override bool Matches(BsonDocument doc, MatchContext ctx)
    {
        var saved = ctx.ArrayPosition;
        var r = !inner.Matches(doc, ctx);
        ctx.ArrayPosition = saved;
        return r;
    }
}
