using System.Globalization;
using System.Text;
using MongoDB.Bson;
using TaskFlow.MongoStandIn.Bson;
using TaskFlow.MongoStandIn.Query;

namespace TaskFlow.MongoStandIn.Aggregation;

/// <summary>Evaluation scope of an aggregation expression.</summary>
internal sealed class ExprContext
{
    private readonly Dictionary<string, BsonValue?>? _vars;

    public ExprContext(BsonDocument root)
    {
        Root = root;
        Current = root;
    }

    private ExprContext(BsonDocument root, BsonValue current, Dictionary<string, BsonValue?> vars)
    {
        Root = root;
        Current = current;
        _vars = vars;
    }

    public BsonDocument Root { get; }

    public BsonValue Current { get; }

    public double? TextScore { get; init; }

    public ExprContext With(string name, BsonValue? value)
    {
        var vars = _vars is null ? new Dictionary<string, BsonValue?>(StringComparer.Ordinal) : new Dictionary<string, BsonValue?>(_vars, StringComparer.Ordinal);
        vars[name] = value;
        return new ExprContext(Root, Current, vars) { TextScore = TextScore };
    }

    public bool TryGetVar(string name, out BsonValue? value)
    {
        value = null;
        return _vars is not null && _vars.TryGetValue(name, out value);
    }
}

/// <summary>A compiled aggregation expression; <see cref="Evaluate"/> returns null for "missing".</summary>
internal abstract class Expr
{
    public abstract BsonValue? Evaluate(ExprContext ctx);
}

internal sealed class LiteralExpr(BsonValue? value) : Expr
{
    public BsonValue? Value => value;

    public override BsonValue? Evaluate(ExprContext ctx) => value;
}

internal sealed class FieldPathExpr(string? variable, string[] parts) : Expr
{
    public string? Variable => variable;

    public string[] Parts => parts;

    public override BsonValue? Evaluate(ExprContext ctx)
    {
        BsonValue? start;
        switch (variable)
        {
            case null:
            case "CURRENT":
                start = ctx.Current;
                break;
            case "ROOT":
                start = ctx.Root;
                break;
            case "REMOVE":
                return null;
            case "NOW":
                start = new BsonDateTime(DateTime.UtcNow);
                break;
            default:
                if (!ctx.TryGetVar(variable, out start))
                {
                    throw new CommandError(17276, $"Use of undefined variable: {variable}");
                }

                break;
        }

        return start is null ? null : Traverse(start, 0);
    }

    private BsonValue? Traverse(BsonValue v, int i)
    {
        if (i == parts.Length)
        {
            return v;
        }

        switch (v)
        {
            case BsonDocument d:
                return d.TryGetValue(parts[i], out var child) ? Traverse(child, i + 1) : null;
            case BsonArray a:
                {
                    var result = new BsonArray();
                    foreach (var el in a)
                    {
                        if (el is BsonDocument or BsonArray)
                        {
                            var r = Traverse(el, i);
                            if (r is not null)
                            {
                                result.Add(r);
                            }
                        }
                    }

                    return result;
                }

            default:
                return null;
        }
    }
}

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

internal sealed class OperatorExpr(string name, List<Expr> args, Func<ExprContext, List<Expr>, BsonValue?> impl) : Expr
{
    public string Name => name;

    public override BsonValue? Evaluate(ExprContext ctx) => impl(ctx, args);
}

internal sealed class FuncExpr(Func<ExprContext, BsonValue?> impl) : Expr
{
    public override BsonValue? Evaluate(ExprContext ctx) => impl(ctx);
}

internal static class ExpressionEvaluator
{
    public static bool IsTruthy(BsonValue? v)
    {
        if (v is null)
        {
            return false;
        }

        return v.BsonType switch
        {
            BsonType.Null or BsonType.Undefined => false,
            BsonType.Boolean => v.AsBoolean,
            BsonType.Int32 => v.AsInt32 != 0,
            BsonType.Int64 => v.AsInt64 != 0,
            BsonType.Double => v.AsDouble != 0,
            BsonType.Decimal128 => !Decimal128.IsZero(v.AsDecimal128),
            _ => true,
        };
    }

    /// <summary>Aggregation comparison: canonical order across types; missing sorts below null.</summary>
    public static int Compare(BsonValue? a, BsonValue? b)
    {
        if (a is null || b is null)
        {
            if (a is null && b is null)
            {
                return 0;
            }

            return a is null ? -1 : 1;
        }

        return BsonOrder.Compare(a, b);
    }
}

internal static class ExpressionCompiler
{
    private delegate Expr Compiler(string name, BsonValue arg);

    private static readonly Dictionary<string, Compiler> Operators = BuildOperators();

    public static Expr Compile(BsonValue value)
    {
        switch (value)
        {
            case BsonString s when s.Value.StartsWith("$$", StringComparison.Ordinal):
                {
                    var body = s.Value[2..];
                    var dot = body.IndexOf('.', StringComparison.Ordinal);
                    var variable = dot < 0 ? body : body[..dot];
                    var parts = dot < 0 ? [] : body[(dot + 1)..].Split('.');
                    if (variable.Length == 0)
                    {
                        throw new CommandError(16869, "empty variable name");
                    }

                    return new FieldPathExpr(variable, parts);
                }

            case BsonString s when s.Value.StartsWith('$'):
                {
                    var path = s.Value[1..];
                    if (path.Length == 0)
                    {
                        throw new CommandError(16872, "'$' by itself is not a valid FieldPath");
                    }

                    return new FieldPathExpr(null, path.Split('.'));
                }

            case BsonDocument d:
                {
                    if (d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'))
                    {
                        if (d.ElementCount != 1)
                        {
                            throw new CommandError(15983, $"An object representing an expression must have exactly one field: {d.ToJson()}");
                        }

                        var op = d.GetElement(0);
                        if (!Operators.TryGetValue(op.Name, out var compiler))
                        {
                            throw new CommandError(ErrorCodes.InvalidPipelineOperator, $"Unrecognized expression '{op.Name}'");
                        }

                        return compiler(op.Name, op.Value);
                    }

                    var fields = new List<(string, Expr)>();
                    foreach (var e in d)
                    {
                        if (e.Name.StartsWith('$'))
                        {
                            throw new CommandError(16410, $"FieldPath field names may not start with '$'. Consider using $getField or $setField.");
                        }

                        fields.Add((e.Name, Compile(e.Value)));
                    }

                    return new ObjectExpr(fields);
                }

            case BsonArray a:
                return new ArrayExpr(a.Select(Compile).ToList());
            default:
                return new LiteralExpr(value);
        }
    }

    private static List<Expr> Args(BsonValue arg) => arg is BsonArray a ? a.Select(Compile).ToList() : [Compile(arg)];

    private static Compiler Simple(int? arity, Func<ExprContext, List<Expr>, BsonValue?> impl) => (name, arg) =>
    {
        var args = Args(arg);
        if (arity is not null && args.Count != arity)
        {
            throw new CommandError(16020, $"Expression {name} takes exactly {arity} arguments. {args.Count} were passed in.");
        }

        return new OperatorExpr(name, args, impl);
    };

    private static Compiler Unary(Func<BsonValue?, BsonValue?> impl) => Simple(1, (ctx, a) => impl(a[0].Evaluate(ctx)));

    private static Compiler Binary(Func<BsonValue?, BsonValue?, BsonValue?> impl) =>
        Simple(2, (ctx, a) => impl(a[0].Evaluate(ctx), a[1].Evaluate(ctx)));

    private static BsonDocument NamedArgs(string name, BsonValue arg, params string[] allowed)
    {
        if (arg is not BsonDocument d)
        {
            throw new CommandError(ErrorCodes.FailedToParse, $"{name} only supports an object as its argument");
        }

        foreach (var n in d.Names)
        {
            if (!allowed.Contains(n))
            {
                throw new CommandError(ErrorCodes.FailedToParse, $"Unrecognized parameter to {name}: {n}");
            }
        }

        return d;
    }

    private static bool IsNullish(BsonValue? v) => BsonOrder.IsNullish(v);

    private static Dictionary<string, Compiler> BuildOperators()
    {
        var ops = new Dictionary<string, Compiler>(StringComparer.Ordinal)
        {
            ["$literal"] = (_, arg) => new LiteralExpr(arg),
            ["$add"] = Simple(null, (ctx, a) => Add(a.Select(x => x.Evaluate(ctx)).ToList())),
            ["$subtract"] = Binary(Subtract),
            ["$multiply"] = Simple(null, (ctx, a) =>
            {
                BsonValue acc = new BsonInt32(1);
                foreach (var x in a)
                {
                    var v = x.Evaluate(ctx);
                    if (IsNullish(v))
                    {
                        return BsonNull.Value;
                    }

                    RequireNumber("$multiply", v);
                    acc = NumberMath.Multiply(acc, v!);
                }

                return acc;
            }),
            ["$divide"] = Binary((x, y) =>
            {
                if (IsNullish(x) || IsNullish(y))
                {
                    return BsonNull.Value;
                }

                RequireNumber("$divide", x);
                RequireNumber("$divide", y);
                if (x!.BsonType == BsonType.Decimal128 || y!.BsonType == BsonType.Decimal128)
                {
                    var dy = NumberMath.ToDecimal(y!);
                    if (dy == 0)
                    {
                        throw new CommandError(2, "can't $divide by zero");
                    }

                    return new BsonDecimal128(new Decimal128(NumberMath.ToDecimal(x) / dy));
                }

                var d = BsonOrder.ToDouble(y);
                if (d == 0)
                {
                    throw new CommandError(2, "can't $divide by zero");
                }

                return new BsonDouble(BsonOrder.ToDouble(x) / d);
            }),
            ["$mod"] = Binary((x, y) =>
            {
                if (IsNullish(x) || IsNullish(y))
                {
                    return BsonNull.Value;
                }

                RequireNumber("$mod", x);
                RequireNumber("$mod", y);
                if (x!.BsonType is BsonType.Int32 or BsonType.Int64 && y!.BsonType is BsonType.Int32 or BsonType.Int64)
                {
                    if (y.ToInt64() == 0)
                    {
                        throw new CommandError(16610, "can't $mod by zero");
                    }

                    var r = x.ToInt64() % y.ToInt64();
                    return x.BsonType == BsonType.Int32 && y.BsonType == BsonType.Int32 ? new BsonInt32((int)r) : new BsonInt64(r);
                }

                return new BsonDouble(BsonOrder.ToDouble(x) % BsonOrder.ToDouble(y!));
            }),
            ["$abs"] = Unary(v => IsNullish(v) ? BsonNull.Value : RequireNumber("$abs", v) switch
            {
                BsonInt32 i => i.Value == int.MinValue ? new BsonInt64(-(long)int.MinValue) : new BsonInt32(Math.Abs(i.Value)),
                BsonInt64 l => new BsonInt64(Math.Abs(l.Value)),
                BsonDecimal128 m => new BsonDecimal128(new Decimal128(Math.Abs(NumberMath.ToDecimal(m)))),
                var o => new BsonDouble(Math.Abs(BsonOrder.ToDouble(o))),
            }),
            ["$ceil"] = Unary(v => IsNullish(v) ? BsonNull.Value : RoundLike(RequireNumber("$ceil", v), Math.Ceiling, Math.Ceiling)),
            ["$floor"] = Unary(v => IsNullish(v) ? BsonNull.Value : RoundLike(RequireNumber("$floor", v), Math.Floor, Math.Floor)),
            ["$round"] = Simple(null, (ctx, a) =>
            {
                var v = a[0].Evaluate(ctx);
                var place = a.Count > 1 ? a[1].Evaluate(ctx)?.ToInt32() ?? 0 : 0;
                if (IsNullish(v))
                {
                    return BsonNull.Value;
                }

                RequireNumber("$round", v);
                return v!.BsonType switch
                {
                    BsonType.Int32 or BsonType.Int64 when place >= 0 => v,
                    BsonType.Decimal128 => new BsonDecimal128(new Decimal128(Math.Round(NumberMath.ToDecimal(v), Math.Max(0, place), MidpointRounding.ToEven))),
                    _ => new BsonDouble(Math.Round(BsonOrder.ToDouble(v), Math.Clamp(place, 0, 15), MidpointRounding.ToEven)),
                };
            }),
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
                        throw new CommandError(16702, $"$concat only supports strings, not {BsonOrder.TypeName(v)}");
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

                var compiled = FilterCompiler.GetRegex(pattern, options);
                return new FuncExpr(ctx =>
                {
                    var v = input.Evaluate(ctx);
                    return !IsNullish(v) && compiled.IsMatch(StringOf(name, v));
                });
            },
            ["$size"] = Unary(v => v is BsonArray a
                ? new BsonInt32(a.Count)
                : throw new CommandError(17124, $"The argument to $size must be an array. Type of argument was: {BsonOrder.TypeName(v)}")),
            ["$arrayElemAt"] = Binary((x, y) =>
            {
                if (IsNullish(x) || IsNullish(y))
                {
                    return BsonNull.Value;
                }

                var a = x as BsonArray ?? throw new CommandError(28689, $"$arrayElemAt's first argument must be an array, but is {BsonOrder.TypeName(x)}");
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

                    r.AddRange(v as BsonArray ?? throw new CommandError(28664, $"$concatArrays only supports arrays, not {BsonOrder.TypeName(v)}"));
                }

                return r;
            }),
            ["$in"] = Binary((x, y) => y is BsonArray a
                ? a.Any(e => ExpressionEvaluator.Compare(e, x) == 0)
                : throw new CommandError(40081, $"$in requires an array as a second argument, found: {BsonOrder.TypeName(y)}")),
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

                    var arr = v as BsonArray ?? throw new CommandError(28651, $"input to $filter must be an array not {BsonOrder.TypeName(v)}");
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

                    var arr = v as BsonArray ?? throw new CommandError(16883, $"input to $map must be an array not {BsonOrder.TypeName(v)}");
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
            ["$type"] = Unary(v => BsonOrder.TypeName(v)),
            ["$toString"] = Unary(v => IsNullish(v) ? BsonNull.Value : v!.BsonType switch
            {
                BsonType.String => v,
                BsonType.ObjectId => v.AsObjectId.ToString(),
                BsonType.Boolean => v.AsBoolean ? "true" : "false",
                BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => BsonOrder.Format(v),
                BsonType.DateTime => v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                _ => throw new CommandError(241, $"Unsupported conversion from {BsonOrder.TypeName(v)} to string in $convert with no onError value"),
            }),
            ["$toInt"] = Unary(v => IsNullish(v) ? BsonNull.Value : new BsonInt32(checked((int)ConvertToDouble(v!)))),
            ["$toLong"] = Unary(v => IsNullish(v) ? BsonNull.Value : new BsonInt64(v!.BsonType == BsonType.DateTime ? v.AsBsonDateTime.MillisecondsSinceEpoch : checked((long)ConvertToDouble(v)))),
            ["$toDouble"] = Unary(v => IsNullish(v) ? BsonNull.Value : new BsonDouble(ConvertToDouble(v!))),
            ["$toDecimal"] = Unary(v => IsNullish(v) ? BsonNull.Value : new BsonDecimal128(new Decimal128(v!.BsonType == BsonType.String ? decimal.Parse(v.AsString, CultureInfo.InvariantCulture) : NumberMath.ToDecimal(v)))),
            ["$toBool"] = Unary(v => IsNullish(v) ? BsonNull.Value : ExpressionEvaluator.IsTruthy(v)),
            ["$toObjectId"] = Unary(v => IsNullish(v) ? BsonNull.Value : v!.BsonType == BsonType.ObjectId ? v : ObjectId.TryParse(v.AsString, out var oid) ? oid : throw new CommandError(241, "Failed to parse objectId")),
            ["$toDate"] = Unary(v => IsNullish(v) ? BsonNull.Value : v!.BsonType switch
            {
                BsonType.DateTime => v,
                BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => new BsonDateTime((long)BsonOrder.ToDouble(v)),
                BsonType.ObjectId => new BsonDateTime(v.AsObjectId.CreationTime),
                BsonType.String => new BsonDateTime(DateTime.Parse(v.AsString, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
                _ => throw new CommandError(241, $"Unsupported conversion from {BsonOrder.TypeName(v)} to date"),
            }),
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

                    r.Merge(v as BsonDocument ?? throw new CommandError(40400, $"$mergeObjects requires object inputs, but input is of type {BsonOrder.TypeName(v)}"), overwriteExistingElements: true);
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
            ["$sum"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$sum")),
            ["$avg"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$avg")),
            ["$min"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$min")),
            ["$max"] = Simple(null, (ctx, a) => Accumulate(ctx, a, "$max")),
            ["$meta"] = (name, arg) =>
            {
                if (arg.BsonType != BsonType.String || arg.AsString != "textScore")
                {
                    throw CommandError.NotImplemented($"$meta: {arg}");
                }

                return new FuncExpr(ctx => ctx.TextScore is { } s ? new BsonDouble(s) : null);
            },
        };

        foreach (var (op, f) in new (string, Func<DateTime, int>)[]
        {
            ("$year", d => d.Year), ("$month", d => d.Month), ("$dayOfMonth", d => d.Day), ("$hour", d => d.Hour),
            ("$minute", d => d.Minute), ("$second", d => d.Second), ("$millisecond", d => d.Millisecond),
            ("$dayOfWeek", d => (int)d.DayOfWeek + 1), ("$dayOfYear", d => d.DayOfYear),
        })
        {
            ops[op] = Unary(v => IsNullish(v) ? BsonNull.Value : new BsonInt32(f(ToDate(op, v!))));
        }

        ops["$dateToString"] = (name, arg) =>
        {
            var d = NamedArgs(name, arg, "format", "date", "timezone", "onNull");
            if (d.Contains("timezone"))
            {
                throw CommandError.NotImplemented("$dateToString timezone");
            }

            var format = d.GetValue("format", "%Y-%m-%dT%H:%M:%S.%LZ").AsString;
            var date = Compile(d["date"]);
            var onNull = d.TryGetValue("onNull", out var on) ? Compile(on) : null;
            return new FuncExpr(ctx =>
            {
                var v = date.Evaluate(ctx);
                if (IsNullish(v))
                {
                    return onNull is null ? BsonNull.Value : onNull.Evaluate(ctx);
                }

                return FormatDate(format, ToDate(name, v!));
            });
        };

        return ops;
    }

    private static Compiler TrimOp(int side) => (name, arg) =>
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

    private static string FormatDate(string format, DateTime d)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }

            var c = format[++i];
            sb.Append(c switch
            {
                'Y' => d.Year.ToString("0000", CultureInfo.InvariantCulture),
                'm' => d.Month.ToString("00", CultureInfo.InvariantCulture),
                'd' => d.Day.ToString("00", CultureInfo.InvariantCulture),
                'H' => d.Hour.ToString("00", CultureInfo.InvariantCulture),
                'M' => d.Minute.ToString("00", CultureInfo.InvariantCulture),
                'S' => d.Second.ToString("00", CultureInfo.InvariantCulture),
                'L' => d.Millisecond.ToString("000", CultureInfo.InvariantCulture),
                'j' => d.DayOfYear.ToString("000", CultureInfo.InvariantCulture),
                'w' => ((int)d.DayOfWeek + 1).ToString(CultureInfo.InvariantCulture),
                '%' => "%",
                _ => throw new CommandError(18536, $"Invalid format character '%{c}' in format string"),
            });
        }

        return sb.ToString();
    }

    private static DateTime ToDate(string op, BsonValue v) => v.BsonType switch
    {
        BsonType.DateTime => v.ToUniversalTime(),
        BsonType.ObjectId => v.AsObjectId.CreationTime,
        BsonType.Timestamp => DateTimeOffset.FromUnixTimeSeconds(v.AsBsonTimestamp.Timestamp).UtcDateTime,
        _ => throw new CommandError(16006, $"can't convert from BSON type {BsonOrder.TypeName(v)} to Date ({op})"),
    };

    private static double ConvertToDouble(BsonValue v) => v.BsonType switch
    {
        BsonType.String => double.Parse(v.AsString, CultureInfo.InvariantCulture),
        BsonType.Boolean => v.AsBoolean ? 1 : 0,
        BsonType.DateTime => v.AsBsonDateTime.MillisecondsSinceEpoch,
        _ when BsonOrder.IsNumber(v) => BsonOrder.ToDouble(v),
        _ => throw new CommandError(241, $"Unsupported conversion from {BsonOrder.TypeName(v)} in $convert with no onError value"),
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

    private static BsonValue? Substr(ExprContext ctx, List<Expr> a)
    {
        var v = a[0].Evaluate(ctx);
        if (IsNullish(v))
        {
            return string.Empty;
        }

        var s = v!.BsonType == BsonType.String ? v.AsString : BsonOrder.Format(v);
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
        : throw new CommandError(16007, $"{op} requires a string argument, found: {BsonOrder.TypeName(v)}");

    private static string ToStr(BsonValue? v) => v is null || BsonOrder.IsNullish(v) ? string.Empty : v.BsonType == BsonType.String ? v.AsString : BsonOrder.Format(v);

    private static BsonValue RequireNumber(string op, BsonValue? v) => BsonOrder.IsNumber(v) && v is not null
        ? v
        : throw new CommandError(ErrorCodes.TypeMismatch, $"{op} only supports numeric types, not {BsonOrder.TypeName(v)}");

    private static BsonValue RoundLike(BsonValue v, Func<double, double> f, Func<decimal, decimal> g) => v.BsonType switch
    {
        BsonType.Int32 or BsonType.Int64 => v,
        BsonType.Decimal128 => new BsonDecimal128(new Decimal128(g(NumberMath.ToDecimal(v)))),
        _ => new BsonDouble(f(BsonOrder.ToDouble(v))),
    };

    private static BsonValue? Add(List<BsonValue?> values)
    {
        BsonValue acc = new BsonInt32(0);
        long? dateMillis = null;
        foreach (var v in values)
        {
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            if (v!.BsonType == BsonType.DateTime)
            {
                if (dateMillis is not null)
                {
                    throw new CommandError(16612, "only one date allowed in an $add expression");
                }

                dateMillis = v.AsBsonDateTime.MillisecondsSinceEpoch;
                continue;
            }

            if (!BsonOrder.IsNumber(v))
            {
                throw new CommandError(ErrorCodes.TypeMismatch, $"$add only supports numeric or date types, not {BsonOrder.TypeName(v)}");
            }

            acc = NumberMath.Add(acc, v);
        }

        return dateMillis is { } ms ? new BsonDateTime(ms + (long)Math.Round(BsonOrder.ToDouble(acc))) : acc;
    }

    private static BsonValue? Subtract(BsonValue? x, BsonValue? y)
    {
        if (IsNullish(x) || IsNullish(y))
        {
            return BsonNull.Value;
        }

        if (x!.BsonType == BsonType.DateTime)
        {
            if (y!.BsonType == BsonType.DateTime)
            {
                return new BsonInt64(x.AsBsonDateTime.MillisecondsSinceEpoch - y.AsBsonDateTime.MillisecondsSinceEpoch);
            }

            RequireNumber("$subtract", y);
            return new BsonDateTime(x.AsBsonDateTime.MillisecondsSinceEpoch - (long)Math.Round(BsonOrder.ToDouble(y)));
        }

        RequireNumber("$subtract", x);
        RequireNumber("$subtract", y);
        return NumberMath.Subtract(x, y!);
    }
}
