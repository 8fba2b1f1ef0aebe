namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>An operator compiled to a closure over its own arguments.</summary>
internal sealed class FuncExpr(Func<ExprContext, BsonValue?> impl) : Expr
{
    public override BsonValue? Evaluate(ExprContext ctx) => impl(ctx);
}
