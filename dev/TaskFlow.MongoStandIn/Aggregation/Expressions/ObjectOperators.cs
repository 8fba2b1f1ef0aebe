using static TaskFlow.MongoStandIn.Aggregation.Expressions.ExpressionCompiler;
using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Document expression operators: $mergeObjects, $objectToArray, $arrayToObject, $getField.</summary>
internal static class ObjectOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
        ["$mergeObjects"] = Simple(null, (ctx, a) =>
        {
            var r = new BsonDocument();
            foreach (var x in a)
            {
                var v = x.Evaluate(ctx);
                if (v is BsonArray arr && a.Count == 1)
                {
                    foreach (var el in arr)
                    {
                        if (el is BsonDocument ed)
                        {
                            r.Merge(ed, overwriteExistingElements: true);
                        }
                    }

                    continue;
                }

                if (IsNullish(v))
                {
                    continue;
                }

                r.Merge(v as BsonDocument ?? throw new CommandError(40400, $"$mergeObjects requires object inputs, but input is of type {BsonText.TypeName(v)}"), overwriteExistingElements: true);
            }

            return r;
        }),
        ["$objectToArray"] = Unary(v => IsNullish(v) ? BsonNull.Value : new BsonArray(((v as BsonDocument) ?? throw new CommandError(40390, "$objectToArray requires a document input")).Select(e => new BsonDocument { { "k", e.Name }, { "v", e.Value } }))),
        ["$arrayToObject"] = Unary(v =>
        {
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            var r = new BsonDocument();
            foreach (var el in (v as BsonArray) ?? throw new CommandError(40386, "$arrayToObject requires an array input"))
            {
                if (el is BsonDocument kv)
                {
                    r[kv["k"].AsString] = kv["v"];
                }
                else if (el is BsonArray pair && pair.Count == 2)
                {
                    r[pair[0].AsString] = pair[1];
                }
            }

            return r;
        }),
        ["$getField"] = (name, arg) =>
        {
            Expr input = new FieldPathExpr("CURRENT", []);
            string field;
            if (arg is BsonDocument d && !d.GetElement(0).Name.StartsWith('$'))
            {
                NamedArgs(name, d, "field", "input");
                field = d["field"].AsString;
                if (d.TryGetValue("input", out var i))
                {
                    input = Compile(i);
                }
            }
            else
            {
                field = arg.AsString;
            }

            return new FuncExpr(ctx => input.Evaluate(ctx) is BsonDocument doc && doc.TryGetValue(field, out var fv) ? fv : null);
        },
    };
}
