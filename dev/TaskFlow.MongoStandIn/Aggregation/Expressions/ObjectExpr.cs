namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>A document literal whose field values are expressions.</summary>
internal sealed class ObjectExpr(List<(string Name, Expr Value)> fields) : Expr
{
    public List<(string Name, Expr Value)> Fields => fields;

    public override BsonValue? Evaluate(ExprContext ctx)
    {
        var d = new BsonDocument();
        foreach (var (name, value) in fields)
        {
            var v = value.Evaluate(ctx);
            if (v is not null)
            {
                d[name] = v;
            }
        }

        return d;
    }
}
