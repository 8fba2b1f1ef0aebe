using static TaskFlow.MongoStandIn.Aggregation.Expressions.ExpressionCompiler;
using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>String expression operators.</summary>
internal static class StringOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
        ["$concat"] = Simple(null, (ctx, a) =>
        {
            var sb = new StringBuilder();
            foreach (var x in a)
            {
                var v = x.Evaluate(ctx);
                if (IsNullish(v))
                {
                    return BsonNull.Value;
                }

                if (v!.BsonType != BsonType.String)
                {
                    throw new CommandError(16702, $"$concat only supports strings, not {BsonText.TypeName(v)}");
                }

                sb.Append(v.AsString);
            }

            return sb.ToString();
        }),
        ["$toLower"] = Unary(v => IsNullish(v) ? string.Empty : StringOf("$toLower", v).ToLowerInvariant()),
        ["$toUpper"] = Unary(v => IsNullish(v) ? string.Empty : StringOf("$toUpper", v).ToUpperInvariant()),
        ["$strLenCP"] = Unary(v => new BsonInt32(CodePoints(StringOf("$strLenCP", v)).Length)),
        ["$strLenBytes"] = Unary(v => new BsonInt32(Encoding.UTF8.GetByteCount(StringOf("$strLenBytes", v)))),
        ["$substr"] = Simple(3, Substr),
        ["$substrCP"] = Simple(3, Substr),
        ["$substrBytes"] = Simple(3, Substr),
        ["$strcasecmp"] = Binary((x, y) => Math.Sign(string.CompareOrdinal(ToStr(x).ToUpperInvariant(), ToStr(y).ToUpperInvariant()))),
        ["$split"] = Binary((x, y) =>
        {
            if (IsNullish(x))
            {
                return BsonNull.Value;
            }

            var s = StringOf("$split", x);
            var sep = StringOf("$split", y);
            if (sep.Length == 0)
            {
                throw new CommandError(40087, "$split requires a non-empty separator");
            }

            return new BsonArray(s.Split(sep).Select(p => new BsonString(p)));
        }),
        ["$trim"] = TrimOp(0),
        ["$ltrim"] = TrimOp(-1),
        ["$rtrim"] = TrimOp(1),
        ["$indexOfCP"] = Simple(null, (ctx, a) =>
        {
            var s = a[0].Evaluate(ctx);
            if (IsNullish(s))
            {
                return BsonNull.Value;
            }

            var sub = StringOf("$indexOfCP", a[1].Evaluate(ctx));
            var start = a.Count > 2 ? a[2].Evaluate(ctx)?.ToInt32() ?? 0 : 0;
            var str = StringOf("$indexOfCP", s);
            return start > str.Length ? -1 : str.IndexOf(sub, start, StringComparison.Ordinal);
        }),
        ["$regexMatch"] = (name, arg) =>
        {
            var d = NamedArgs(name, arg, "input", "regex", "options");
            var input = Compile(d.GetValue("input", BsonNull.Value));
            var regex = d.GetValue("regex", BsonNull.Value);
            var options = d.TryGetValue("options", out var o) ? o.AsString : string.Empty;
            var pattern = regex is BsonRegularExpression re ? re.Pattern : regex.AsString;
            if (regex is BsonRegularExpression re2 && options.Length == 0)
            {
                options = re2.Options;
            }

            var compiled = RegexCache.Get(pattern, options);
            return new FuncExpr(ctx =>
            {
                var v = input.Evaluate(ctx);
                return !IsNullish(v) && compiled.IsMatch(StringOf(name, v));
            });
        },
    };

    private static OperatorCompiler TrimOp(int side) => (name, arg) =>
    {
        var d = NamedArgs(name, arg, "input", "chars");
        var input = Compile(d["input"]);
        var chars = d.TryGetValue("chars", out var c) ? Compile(c) : null;
        return new FuncExpr(ctx =>
        {
            var v = input.Evaluate(ctx);
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            var s = StringOf(name, v);
            var cs = chars is null ? null : StringOf(name, chars.Evaluate(ctx)).ToCharArray();
            return side switch
            {
                < 0 => cs is null ? s.TrimStart() : s.TrimStart(cs),
                > 0 => cs is null ? s.TrimEnd() : s.TrimEnd(cs),
                _ => cs is null ? s.Trim() : s.Trim(cs),
            };
        });
    };

    private static BsonValue? Substr(ExprContext ctx, List<Expr> a)
    {
        var v = a[0].Evaluate(ctx);
        if (IsNullish(v))
        {
            return string.Empty;
        }

        var s = v!.BsonType == BsonType.String ? v.AsString : BsonText.Format(v);
        var start = a[1].Evaluate(ctx)?.ToInt32() ?? 0;
        var len = a[2].Evaluate(ctx)?.ToInt32() ?? 0;
        var cps = CodePoints(s);
        if (start < 0 || start >= cps.Length)
        {
            return string.Empty;
        }

        var take = len < 0 ? cps.Length - start : Math.Min(len, cps.Length - start);
        return string.Concat(cps.Skip(start).Take(take));
    }

    private static string[] CodePoints(string s)
    {
        var list = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(s);
        while (e.MoveNext())
        {
            list.Add((string)e.Current);
        }

        return list.ToArray();
    }

    private static string StringOf(string op, BsonValue? v) => v is not null && v.BsonType == BsonType.String
        ? v.AsString
        : throw new CommandError(16007, $"{op} requires a string argument, found: {BsonText.TypeName(v)}");

    private static string ToStr(BsonValue? v) => v is null || BsonOrder.IsNullish(v) ? string.Empty : v.BsonType == BsonType.String ? v.AsString : BsonText.Format(v);
}
