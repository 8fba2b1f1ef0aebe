using static TaskFlow.MongoStandIn.Aggregation.Expressions.ExpressionCompiler;
using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Comparison, boolean and conditional expression operators.</summary>
internal static class LogicalOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
        ["$eq"] = Binary((x, y) => ExpressionEvaluator.Compare(x, y) == 0),
        ["$ne"] = Binary((x, y) => ExpressionEvaluator.Compare(x, y) != 0),
        ["$gt"] = Binary((x, y) => ExpressionEvaluator.Compare(x, y) > 0),
        ["$gte"] = Binary((x, y) => ExpressionEvaluator.Compare(x, y) >= 0),
        ["$lt"] = Binary((x, y) => ExpressionEvaluator.Compare(x, y) < 0),
        ["$lte"] = Binary((x, y) => ExpressionEvaluator.Compare(x, y) <= 0),
        ["$cmp"] = Binary((x, y) => Math.Sign(ExpressionEvaluator.Compare(x, y))),
        ["$and"] = Simple(null, (ctx, a) => a.All(x => ExpressionEvaluator.IsTruthy(x.Evaluate(ctx)))),
        ["$or"] = Simple(null, (ctx, a) => a.Any(x => ExpressionEvaluator.IsTruthy(x.Evaluate(ctx)))),
        ["$not"] = Unary(v => !ExpressionEvaluator.IsTruthy(v)),
        ["$cond"] = (name, arg) =>
        {
            List<Expr> a;
            if (arg is BsonDocument d)
            {
                NamedArgs(name, d, "if", "then", "else");
                if (!d.Contains("if") || !d.Contains("then") || !d.Contains("else"))
                {
                    throw new CommandError(17080, "Missing 'if', 'then' or 'else' parameter to $cond");
                }

                a = [Compile(d["if"]), Compile(d["then"]), Compile(d["else"])];
            }
            else
            {
                a = Args(arg);
                if (a.Count != 3)
                {
                    throw new CommandError(16020, "Expression $cond takes exactly 3 arguments.");
                }
            }

            return new OperatorExpr(name, a, (ctx, x) => ExpressionEvaluator.IsTruthy(x[0].Evaluate(ctx)) ? x[1].Evaluate(ctx) : x[2].Evaluate(ctx));
        },
        ["$ifNull"] = Simple(null, (ctx, a) =>
        {
            for (var i = 0; i < a.Count - 1; i++)
            {
                var v = a[i].Evaluate(ctx);
                if (!IsNullish(v))
                {
                    return v;
                }
            }

            return a[^1].Evaluate(ctx);
        }),
        ["$switch"] = (name, arg) =>
        {
            var d = NamedArgs(name, arg, "branches", "default");
            if (!d.TryGetValue("branches", out var br) || br is not BsonArray branches)
            {
                throw new CommandError(40060, "$switch requires at least one branch.");
            }

            var compiled = branches.Select(b =>
            {
                var bd = NamedArgs("$switch branch", b, "case", "then");
                return (Case: Compile(bd["case"]), Then: Compile(bd["then"]));
            }).ToList();
            var def = d.TryGetValue("default", out var dv) ? Compile(dv) : null;
            return new FuncExpr(ctx =>
            {
                foreach (var (c, t) in compiled)
                {
                    if (ExpressionEvaluator.IsTruthy(c.Evaluate(ctx)))
                    {
                        return t.Evaluate(ctx);
                    }
                }

                return def is not null ? def.Evaluate(ctx) : throw new CommandError(40066, "$switch could not find a matching branch for an input, and no default was specified.");
            });
        },
    };
}
