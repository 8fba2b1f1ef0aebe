namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$alwaysTrue / $alwaysFalse, and an empty $all.</summary>
internal sealed class ConstNode(bool value) : FilterNode
{
    public override bool Matches(BsonDocument doc, MatchContext ctx) => value;
}
