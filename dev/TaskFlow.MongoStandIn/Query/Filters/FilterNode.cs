namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>A node of a compiled filter tree.</summary>
internal abstract class FilterNode
{
    public abstract bool Matches(BsonDocument doc, MatchContext ctx);

    public virtual bool UsesText => false;
}
