namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>An array literal whose items are expressions.</summary>
internal sealed class ArrayExpr(List<Expr> items) : Expr
{
    public override BsonValue? Evaluate(ExprContext ctx)
    {
        var a = new BsonArray();
        foreach (var i in items)
        {
            a.Add(i.Evaluate(ctx) ?? BsonNull.Value);
        }

        return a;
    }
}
