using static TaskFlow.MongoStandIn.Aggregation.Expressions.ExpressionCompiler;
using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Date part and formatting operators: $year ... $dayOfYear, $dateToString.</summary>
internal static class DateOperators
{
    public static Dictionary<string, OperatorCompiler> All()
    {
        var ops = new Dictionary<string, OperatorCompiler>(StringComparer.Ordinal);
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
        _ => throw new CommandError(16006, $"can't convert from BSON type {BsonText.TypeName(v)} to Date ({op})"),
    };
}
