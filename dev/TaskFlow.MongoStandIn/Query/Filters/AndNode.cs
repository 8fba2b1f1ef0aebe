namespace TaskFlow.MongoStandIn.Query.Filters;

internal sealed class AndNode(List<FilterNode> children) : FilterNode
{
    public override bool UsesText => children.Any(c => c.UsesText);

    public override bool Matches(BsonDocument doc, MatchContext ctx)
    {
        foreach (var c in children)
        {
            if (!c.Matches(doc, ctx))
            {
                return false;
            }
        }

        return true;
    }
}
