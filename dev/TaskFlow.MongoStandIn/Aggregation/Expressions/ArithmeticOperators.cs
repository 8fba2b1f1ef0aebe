using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Arithmetic expression operators: $add, $subtract, $multiply, $divide, $mod, $abs, $ceil, $floor, $round.</summary>
internal static class ArithmeticOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
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
    };

    private static BsonValue RequireNumber(string op, BsonValue? v) => BsonOrder.IsNumber(v) && v is not null
        ? v
        : throw new CommandError(ErrorCodes.TypeMismatch, $"{op} only supports numeric types, not {BsonText.TypeName(v)}");

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
                throw new CommandError(ErrorCodes.TypeMismatch, $"$add only supports numeric or date types, not {BsonText.TypeName(v)}");
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
