using static TaskFlow.MongoStandIn.Aggregation.Expressions.ExpressionCompiler;
using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Expression operators that bind or read values: $literal, $let, $meta.</summary>
internal static class VariableOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
        ["$literal"] = (_, arg) => new LiteralExpr(arg),
        ["$let"] = (name, arg) =>
        {
            var d = NamedArgs(name, arg, "vars", "in");
            var vars = d["vars"].AsBsonDocument.Select(e => (e.Name, Compile(e.Value))).ToList();
            var inExpr = Compile(d["in"]);
            return new FuncExpr(ctx =>
            {
                var inner = ctx;
                foreach (var (n, e) in vars)
                {
                    inner = inner.With(n, e.Evaluate(ctx));
                }

                return inExpr.Evaluate(inner);
            });
        },
        ["$meta"] = (name, arg) =>
        {
            if (arg.BsonType != BsonType.String || arg.AsString != "textScore")
            {
                throw CommandError.NotImplemented($"$meta: {arg}");
            }

            return new FuncExpr(ctx => ctx.TextScore is { } s ? new BsonDouble(s) : null);
        },
    };
}
