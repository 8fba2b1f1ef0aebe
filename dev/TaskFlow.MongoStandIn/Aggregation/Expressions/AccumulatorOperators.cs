using static TaskFlow.MongoStandIn.Aggregation.Expressions.ExpressionCompiler;
using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Group accumulators used as expressions over an array or several arguments: $sum, $avg, $min, $max.</summary>
internal static class AccumulatorOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
        ["$sum"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$sum")),
        ["$avg"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$avg")),
        ["$min"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$min")),
        ["$max"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$max")),
    };

    private static BsonValue? Accumulate(ExprContext ctx, List<Expr> args, string op)
    {
        var values = new List<BsonValue?>();
        if (args.Count == 1)
        {
            var v = args[0].Evaluate(ctx);
            if (v is BsonArray a)
            {
                values.AddRange(a);
            }
            else
            {
                values.Add(v);
            }
        }
        else
        {
            values.AddRange(args.Select(a => a.Evaluate(ctx)));
        }

        var acc = Accumulators.Create(op);
        foreach (var v in values)
        {
            acc.Add(v);
        }

        return acc.Result();
    }
}
