using static TaskFlow.MongoStandIn.Aggregation.Expressions.OperatorShapes;

namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Type inspection and conversion operators: $type, $toString, $toInt, $toDate and kin.</summary>
internal static class TypeOperators
{
    public static Dictionary<string, OperatorCompiler> All() => new(StringComparer.Ordinal)
    {
        ["$type"] = Unary(v => BsonText.TypeName(v)),
        ["$toString"] = Unary(v => IsNullish(v) ? BsonNull.Value : v!.BsonType switch
        {
            BsonType.String => v,
            BsonType.ObjectId => v.AsObjectId.ToString(),
            BsonType.Boolean => v.AsBoolean ? "true" : "false",
            BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => BsonText.Format(v),
            BsonType.DateTime => v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            _ => throw new CommandError(241, $"Unsupported conversion from {BsonText.TypeName(v)} to string in $convert with no onError value"),
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
            _ => throw new CommandError(241, $"Unsupported conversion from {BsonText.TypeName(v)} to date"),
        }),
    };

    private static double ConvertToDouble(BsonValue v) => v.BsonType switch
    {
        BsonType.String => double.Parse(v.AsString, CultureInfo.InvariantCulture),
        BsonType.Boolean => v.AsBoolean ? 1 : 0,
        BsonType.DateTime => v.AsBsonDateTime.MillisecondsSinceEpoch,
        _ when BsonOrder.IsNumber(v) => BsonOrder.ToDouble(v),
        _ => throw new CommandError(241, $"Unsupported conversion from {BsonText.TypeName(v)} in $convert with no onError value"),
    };
}
