namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Truthiness and ordering as aggregation expressions define them.</summary>
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
