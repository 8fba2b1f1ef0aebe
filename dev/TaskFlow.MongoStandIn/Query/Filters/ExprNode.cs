namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$expr: an aggregation expression evaluated against the document.</summary>
internal sealed class ExprNode(Expr expr) : FilterNode
{
    public override bool Matches(BsonDocument doc, MatchContext ctx) => ExpressionEvaluator.IsTruthy(expr.Evaluate(new ExprContext(doc)));
}
