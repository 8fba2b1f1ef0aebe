namespace TaskFlow.MongoStandIn.Bson;

/// <summary>
/// MongoDB's canonical BSON ordering: MinKey &lt; null &lt; numbers &lt; strings &lt; objects &lt; arrays &lt; binData
/// &lt; ObjectId &lt; bool &lt; date &lt; timestamp &lt; regex &lt; MaxKey. A missing value (C# null) ranks as null.
/// </summary>
internal static class BsonOrder
{
    public const int RankMinKey = 1;
    public const int RankNull = 5;
    public const int RankNumber = 10;
    public const int RankString = 15;
    public const int RankObject = 20;
    public const int RankArray = 25;
    public const int RankBinary = 30;
    public const int RankObjectId = 35;
    public const int RankBoolean = 40;
    public const int RankDate = 45;
    public const int RankTimestamp = 47;
    public const int RankRegex = 50;
    public const int RankJavaScript = 55;
    public const int RankJavaScriptWithScope = 60;
    public const int RankMaxKey = 127;

    public static readonly IComparer<BsonValue?> Comparer = new OrderComparer();

    public static readonly IEqualityComparer<BsonValue?> EqualityComparer = new ValueEqualityComparer();

    public static int Rank(BsonValue? v) => v is null ? RankNull : v.BsonType switch
    {
        BsonType.MinKey => RankMinKey,
        BsonType.Null or BsonType.Undefined => RankNull,
        BsonType.Double or BsonType.Int32 or BsonType.Int64 or BsonType.Decimal128 => RankNumber,
        BsonType.String or BsonType.Symbol => RankString,
        BsonType.Document => RankObject,
        BsonType.Array => RankArray,
        BsonType.Binary => RankBinary,
        BsonType.ObjectId => RankObjectId,
        BsonType.Boolean => RankBoolean,
        BsonType.DateTime => RankDate,
        BsonType.Timestamp => RankTimestamp,
        BsonType.RegularExpression => RankRegex,
        BsonType.JavaScript => RankJavaScript,
        BsonType.JavaScriptWithScope => RankJavaScriptWithScope,
        BsonType.MaxKey => RankMaxKey,
        _ => RankMaxKey - 1,
    };

    public static bool IsNullish(BsonValue? v) => v is null || v.BsonType is BsonType.Null or BsonType.Undefined;

    public static bool IsNumber(BsonValue? v) =>
        v is not null && v.BsonType is BsonType.Double or BsonType.Int32 or BsonType.Int64 or BsonType.Decimal128;

    public static bool ValuesEqual(BsonValue? a, BsonValue? b) => Compare(a, b) == 0;

    public static int Compare(BsonValue? a, BsonValue? b)
    {
        var ra = Rank(a);
        var rb = Rank(b);
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }

        if (a is null || b is null)
        {
            return 0; // both nullish
        }

        switch (ra)
        {
            case RankMinKey:
            case RankNull:
            case RankMaxKey:
                return 0;
            case RankNumber:
                return CompareNumbers(a, b);
            case RankString:
                return CompareStrings(StringOf(a), StringOf(b));
            case RankObject:
                return CompareDocuments(a.AsBsonDocument, b.AsBsonDocument);
            case RankArray:
                return CompareArrays(a.AsBsonArray, b.AsBsonArray);
            case RankBinary:
                {
                    var x = a.AsBsonBinaryData;
                    var y = b.AsBsonBinaryData;
                    var c = x.Bytes.Length.CompareTo(y.Bytes.Length);
                    if (c != 0)
                    {
                        return c;
                    }

                    c = ((int)x.SubType).CompareTo((int)y.SubType);
                    return c != 0 ? c : x.Bytes.AsSpan().SequenceCompareTo(y.Bytes);
                }

            case RankObjectId:
                return a.AsObjectId.CompareTo(b.AsObjectId);
            case RankBoolean:
                return a.AsBoolean.CompareTo(b.AsBoolean);
            case RankDate:
                return a.AsBsonDateTime.MillisecondsSinceEpoch.CompareTo(b.AsBsonDateTime.MillisecondsSinceEpoch);
            case RankTimestamp:
                return ((ulong)a.AsBsonTimestamp.Value).CompareTo((ulong)b.AsBsonTimestamp.Value);
            case RankRegex:
                {
                    var x = a.AsBsonRegularExpression;
                    var y = b.AsBsonRegularExpression;
                    var c = CompareStrings(x.Pattern, y.Pattern);
                    return c != 0 ? c : CompareStrings(x.Options, y.Options);
                }

            case RankJavaScript:
                return CompareStrings(a.AsBsonJavaScript.Code, b.AsBsonJavaScript.Code);
            case RankJavaScriptWithScope:
                {
                    var c = CompareStrings(a.AsBsonJavaScriptWithScope.Code, b.AsBsonJavaScriptWithScope.Code);
                    return c != 0 ? c : CompareDocuments(a.AsBsonJavaScriptWithScope.Scope, b.AsBsonJavaScriptWithScope.Scope);
                }

            default:
                return CompareStrings(a.ToString() ?? string.Empty, b.ToString() ?? string.Empty);
        }
    }

    public static string StringOf(BsonValue v) => v.BsonType == BsonType.Symbol ? v.AsBsonSymbol.Name : v.AsString;

    /// <summary>Binary (UTF-8 byte order) comparison, like MongoDB's simple collation.</summary>
    public static int CompareStrings(string a, string b)
    {
        // Ordinal UTF-16 comparison equals UTF-8 byte order except around surrogates; handle those exactly.
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var ca = a[i];
            var cb = b[i];
            if (ca == cb)
            {
                continue;
            }

            var sa = char.IsSurrogate(ca);
            var sb = char.IsSurrogate(cb);
            if (sa != sb)
            {
                // surrogates encode code points above U+FFFF, greater than any BMP char in UTF-8 order
                return sa ? 1 : -1;
            }

            return ca.CompareTo(cb);
        }

        return a.Length.CompareTo(b.Length);
    }

    public static int CompareDocuments(BsonDocument a, BsonDocument b)
    {
        var n = Math.Min(a.ElementCount, b.ElementCount);
        for (var i = 0; i < n; i++)
        {
            var ea = a.GetElement(i);
            var eb = b.GetElement(i);
            var c = Rank(ea.Value).CompareTo(Rank(eb.Value));
            if (c != 0)
            {
                return c;
            }

            c = CompareStrings(ea.Name, eb.Name);
            if (c != 0)
            {
                return c;
            }

            c = Compare(ea.Value, eb.Value);
            if (c != 0)
            {
                return c;
            }
        }

        return a.ElementCount.CompareTo(b.ElementCount);
    }

    public static int CompareArrays(BsonArray a, BsonArray b)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            var c = Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    public static int CompareNumbers(BsonValue a, BsonValue b)
    {
        var ta = a.BsonType;
        var tb = b.BsonType;
        if (ta is BsonType.Int32 or BsonType.Int64 && tb is BsonType.Int32 or BsonType.Int64)
        {
            return a.ToInt64().CompareTo(b.ToInt64());
        }

        if (ta == BsonType.Decimal128 || tb == BsonType.Decimal128)
        {
            if (TryToDecimal(a, out var da) && TryToDecimal(b, out var db))
            {
                return da.CompareTo(db);
            }

            return CompareDoubles(ToDouble(a), ToDouble(b));
        }

        if (ta == BsonType.Double && tb == BsonType.Double)
        {
            return CompareDoubles(a.AsDouble, b.AsDouble);
        }

        // one long/int and one double
        if (ta == BsonType.Double)
        {
            return -CompareLongDouble(b.ToInt64(), a.AsDouble);
        }

        return CompareLongDouble(a.ToInt64(), b.AsDouble);
    }

    private static int CompareLongDouble(long l, double d)
    {
        if (double.IsNaN(d))
        {
            return 1; // NaN sorts below every number
        }

        var c = ((double)l).CompareTo(d);
        if (c != 0)
        {
            return c;
        }

        // (double)l == d: d is integral; compare exactly where representable
        if (d >= 9.2233720368547758E18)
        {
            return -1;
        }

        if (d < -9.2233720368547758E18)
        {
            return 1;
        }

        return l.CompareTo((long)d);
    }

    private static int CompareDoubles(double x, double y)
    {
        if (double.IsNaN(x))
        {
            return double.IsNaN(y) ? 0 : -1;
        }

        if (double.IsNaN(y))
        {
            return 1;
        }

        return x.CompareTo(y);
    }

    public static double ToDouble(BsonValue v) => v.BsonType switch
    {
        BsonType.Double => v.AsDouble,
        BsonType.Int32 => v.AsInt32,
        BsonType.Int64 => v.AsInt64,
        BsonType.Decimal128 => Decimal128.ToDouble(v.AsDecimal128),
        _ => double.NaN,
    };

    public static bool TryToDecimal(BsonValue v, out decimal d)
    {
        d = 0;
        try
        {
            switch (v.BsonType)
            {
                case BsonType.Int32:
                    d = v.AsInt32;
                    return true;
                case BsonType.Int64:
                    d = v.AsInt64;
                    return true;
                case BsonType.Double:
                    {
                        var x = v.AsDouble;
                        if (double.IsNaN(x) || double.IsInfinity(x) || Math.Abs(x) > 7.9e28)
                        {
                            return false;
                        }

                        // exact conversion via round-trip string keeps up to 17 significant digits
                        d = decimal.Parse(x.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
                        return true;
                    }

                case BsonType.Decimal128:
                    {
                        var x = v.AsDecimal128;
                        if (Decimal128.IsNaN(x) || Decimal128.IsInfinity(x))
                        {
                            return false;
                        }

                        d = Decimal128.ToDecimal(x);
                        return true;
                    }

                default:
                    return false;
            }
        }
        catch (OverflowException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static int Hash(BsonValue? v)
    {
        var rank = Rank(v);
        if (v is null)
        {
            return rank;
        }

        switch (rank)
        {
            case RankMinKey:
            case RankNull:
            case RankMaxKey:
                return rank;
            case RankNumber:
                {
                    var d = ToDouble(v);
                    return double.IsNaN(d) ? 17 : d.GetHashCode();
                }

            case RankString:
                return string.GetHashCode(StringOf(v), StringComparison.Ordinal);
            case RankObject:
                {
                    var h = new HashCode();
                    foreach (var e in v.AsBsonDocument)
                    {
                        h.Add(string.GetHashCode(e.Name, StringComparison.Ordinal));
                        h.Add(Hash(e.Value));
                    }

                    return h.ToHashCode();
                }

            case RankArray:
                {
                    var h = new HashCode();
                    foreach (var e in v.AsBsonArray)
                    {
                        h.Add(Hash(e));
                    }

                    return h.ToHashCode();
                }

            default:
                return v.GetHashCode();
        }
    }

    private sealed class OrderComparer : IComparer<BsonValue?>
    {
        public int Compare(BsonValue? x, BsonValue? y) => BsonOrder.Compare(x, y);
    }

    private sealed class ValueEqualityComparer : IEqualityComparer<BsonValue?>
    {
        public bool Equals(BsonValue? x, BsonValue? y) => BsonOrder.Compare(x, y) == 0;

        public int GetHashCode(BsonValue? obj) => Hash(obj);
    }
}
