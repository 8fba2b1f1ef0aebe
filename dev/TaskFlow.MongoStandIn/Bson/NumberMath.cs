namespace TaskFlow.MongoStandIn.Bson;

/// <summary>Arithmetic with MongoDB's numeric type promotion (int → long → double, decimal wins).</summary>
internal static class NumberMath
{
    public static BsonValue Add(BsonValue a, BsonValue b)
    {
        if (a.BsonType == BsonType.Decimal128 || b.BsonType == BsonType.Decimal128)
        {
            return new BsonDecimal128(new Decimal128(ToDecimal(a) + ToDecimal(b)));
        }

        if (a.BsonType == BsonType.Double || b.BsonType == BsonType.Double)
        {
            return new BsonDouble(BsonOrder.ToDouble(a) + BsonOrder.ToDouble(b));
        }

        var x = a.ToInt64();
        var y = b.ToInt64();
        long r;
        try
        {
            r = checked(x + y);
        }
        catch (OverflowException)
        {
            return new BsonDouble((double)x + y);
        }

        return Narrow(r, a.BsonType == BsonType.Int32 && b.BsonType == BsonType.Int32);
    }

    public static BsonValue Subtract(BsonValue a, BsonValue b) => Add(a, Negate(b));

    public static BsonValue Negate(BsonValue a) => a.BsonType switch
    {
        BsonType.Int32 => a.AsInt32 == int.MinValue ? new BsonInt64(-(long)int.MinValue) : new BsonInt32(-a.AsInt32),
        BsonType.Int64 => a.AsInt64 == long.MinValue ? new BsonDouble(-(double)long.MinValue) : new BsonInt64(-a.AsInt64),
        BsonType.Double => new BsonDouble(-a.AsDouble),
        BsonType.Decimal128 => new BsonDecimal128(Decimal128.Negate(a.AsDecimal128)),
        _ => a,
    };

    public static BsonValue Multiply(BsonValue a, BsonValue b)
    {
        if (a.BsonType == BsonType.Decimal128 || b.BsonType == BsonType.Decimal128)
        {
            return new BsonDecimal128(new Decimal128(ToDecimal(a) * ToDecimal(b)));
        }

        if (a.BsonType == BsonType.Double || b.BsonType == BsonType.Double)
        {
            return new BsonDouble(BsonOrder.ToDouble(a) * BsonOrder.ToDouble(b));
        }

        var x = a.ToInt64();
        var y = b.ToInt64();
        long r;
        try
        {
            r = checked(x * y);
        }
        catch (OverflowException)
        {
            return new BsonDouble((double)x * y);
        }

        return Narrow(r, a.BsonType == BsonType.Int32 && b.BsonType == BsonType.Int32);
    }

    public static BsonValue Zero(BsonValue like) => like.BsonType switch
    {
        BsonType.Int64 => new BsonInt64(0),
        BsonType.Double => new BsonDouble(0),
        BsonType.Decimal128 => new BsonDecimal128(Decimal128.Zero),
        _ => new BsonInt32(0),
    };

    private static BsonValue Narrow(long r, bool bothInt) =>
        bothInt && r is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)r) : new BsonInt64(r);

    public static decimal ToDecimal(BsonValue v) =>
        BsonOrder.TryToDecimal(v, out var d) ? d : throw new CommandError(ErrorCodes.BadValue, "numeric value out of range for decimal arithmetic");
}
