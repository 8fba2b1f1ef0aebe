using static TaskFlow.MongoStandIn.Aggregation.Expressions.ExpressionCompiler;
using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Array expression operators, including $filter, $map and $reduce.</summary>
internal static class ArrayOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
        ["$size"] = Unary(v => v is BsonArray a
            ? new BsonInt32(a.Count)
            : throw new CommandError(17124, $"The argument to $size must be an array. Type of argument was: {BsonText.TypeName(v)}")),
        ["$arrayElemAt"] = Binary((x, y) =>
        {
            if (IsNullish(x) || IsNullish(y))
            {
                return BsonNull.Value;
            }

            var a = x as BsonArray ?? throw new CommandError(28689, $"$arrayElemAt's first argument must be an array, but is {BsonText.TypeName(x)}");
            var i = y!.ToInt32();
            if (i < 0)
            {
                i += a.Count;
            }

            return i >= 0 && i < a.Count ? a[i] : null;
        }),
        ["$first"] = Unary(v => IsNullish(v) ? BsonNull.Value : v is BsonArray a ? (a.Count > 0 ? a[0] : null) : throw new CommandError(28689, "$first's argument must be an array")),
        ["$last"] = Unary(v => IsNullish(v) ? BsonNull.Value : v is BsonArray a ? (a.Count > 0 ? a[^1] : null) : throw new CommandError(28689, "$last's argument must be an array")),
        ["$concatArrays"] = Simple(null, (ctx, a) =>
        {
            var r = new BsonArray();
            foreach (var x in a)
            {
                var v = x.Evaluate(ctx);
                if (IsNullish(v))
                {
                    return BsonNull.Value;
                }

                r.AddRange(v as BsonArray ?? throw new CommandError(28664, $"$concatArrays only supports arrays, not {BsonText.TypeName(v)}"));
            }

            return r;
        }),
        ["$in"] = Binary((x, y) => y is BsonArray a
            ? a.Any(e => ExpressionEvaluator.Compare(e, x) == 0)
            : throw new CommandError(40081, $"$in requires an array as a second argument, found: {BsonText.TypeName(y)}")),
        ["$isArray"] = Unary(v => v is BsonArray),
        ["$reverseArray"] = Unary(v => IsNullish(v) ? BsonNull.Value : new BsonArray(((v as BsonArray) ?? throw new CommandError(34435, "The argument to $reverseArray must be an array")).Reverse())),
        ["$slice"] = Simple(null, (ctx, a) =>
        {
            var v = a[0].Evaluate(ctx);
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            var arr = v as BsonArray ?? throw new CommandError(28724, "First argument to $slice must be an array");
            var n1 = a[1].Evaluate(ctx)!.ToInt32();
            if (a.Count == 2)
            {
                return new BsonArray(n1 >= 0 ? arr.Take(n1) : arr.Skip(Math.Max(0, arr.Count + n1)));
            }

            var n2 = a[2].Evaluate(ctx)!.ToInt32();
            var start = n1 >= 0 ? Math.Min(n1, arr.Count) : Math.Max(0, arr.Count + n1);
            return new BsonArray(arr.Skip(start).Take(n2));
        }),
        ["$indexOfArray"] = Simple(null, (ctx, a) =>
        {
            var v = a[0].Evaluate(ctx);
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            var arr = v as BsonArray ?? throw new CommandError(40090, "$indexOfArray requires an array as a first argument");
            var x = a[1].Evaluate(ctx);
            for (var i = 0; i < arr.Count; i++)
            {
                if (ExpressionEvaluator.Compare(arr[i], x) == 0)
                {
                    return i;
                }
            }

            return -1;
        }),
        ["$filter"] = (name, arg) =>
        {
            var d = NamedArgs(name, arg, "input", "as", "cond", "limit");
            var input = Compile(d["input"]);
            var asName = d.GetValue("as", "this").AsString;
            var cond = Compile(d["cond"]);
            var limit = d.TryGetValue("limit", out var l) ? Compile(l) : null;
            return new FuncExpr(ctx =>
            {
                var v = input.Evaluate(ctx);
                if (IsNullish(v))
                {
                    return BsonNull.Value;
                }

                var arr = v as BsonArray ?? throw new CommandError(28651, $"input to $filter must be an array not {BsonText.TypeName(v)}");
                var max = limit?.Evaluate(ctx)?.ToInt32() ?? int.MaxValue;
                var r = new BsonArray();
                foreach (var el in arr)
                {
                    if (r.Count >= max)
                    {
                        break;
                    }

                    if (ExpressionEvaluator.IsTruthy(cond.Evaluate(ctx.With(asName, el))))
                    {
                        r.Add(el);
                    }
                }

                return r;
            });
        },
        ["$map"] = (name, arg) =>
        {
            var d = NamedArgs(name, arg, "input", "as", "in");
            var input = Compile(d["input"]);
            var asName = d.GetValue("as", "this").AsString;
            var inExpr = Compile(d["in"]);
            return new FuncExpr(ctx =>
            {
                var v = input.Evaluate(ctx);
                if (IsNullish(v))
                {
                    return BsonNull.Value;
                }

                var arr = v as BsonArray ?? throw new CommandError(16883, $"input to $map must be an array not {BsonText.TypeName(v)}");
                return new BsonArray(arr.Select(el => inExpr.Evaluate(ctx.With(asName, el)) ?? BsonNull.Value));
            });
        },
        ["$reduce"] = (name, arg) =>
        {
            var d = NamedArgs(name, arg, "input", "initialValue", "in");
            var input = Compile(d["input"]);
            var init = Compile(d["initialValue"]);
            var inExpr = Compile(d["in"]);
            return new FuncExpr(ctx =>
            {
                var v = input.Evaluate(ctx);
                if (IsNullish(v))
                {
                    return BsonNull.Value;
                }

                var arr = v as BsonArray ?? throw new CommandError(40080, "input to $reduce must be an array");
                var acc = init.Evaluate(ctx);
                foreach (var el in arr)
                {
                    acc = inExpr.Evaluate(ctx.With("this", el).With("value", acc));
                }

                return acc;
            });
        },
    };
}
