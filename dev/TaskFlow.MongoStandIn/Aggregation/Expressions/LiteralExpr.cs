namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>A constant value.</summary>
internal sealed class LiteralExpr(BsonValue? value) : Expr
{
    public BsonValue? Value => value;

    public override BsonValue? Evaluate(ExprContext ctx) => value;
}
