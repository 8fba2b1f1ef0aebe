namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>A compiled aggregation expression; <see cref="Evaluate"/> returns null for "missing".</summary>
internal abstract class Expr
{
    public abstract BsonValue? Evaluate(ExprContext ctx);
}
