namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>An operator applied to its compiled argument expressions.</summary>
internal sealed class OperatorExpr(string name, List<Expr> args, Func<ExprContext, List<Expr>, BsonValue?> impl) : Expr
{
    public string Name => name;

    public override BsonValue? Evaluate(ExprContext ctx) => impl(ctx, args);
}
