namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$type, by alias name or numeric code.</summary>
internal sealed class TypePredicate : ValuePredicate
{
    private static readonly Dictionary<string, BsonType[]> Aliases = new(StringComparer.Ordinal)
    {
        ["double"] = [BsonType.Double],
        ["string"] = [BsonType.String],
        ["object"] = [BsonType.Document],
        ["array"] = [BsonType.Array],
        ["binData"] = [BsonType.Binary],
        ["undefined"] = [BsonType.Undefined],
        ["objectId"] = [BsonType.ObjectId],
        ["bool"] = [BsonType.Boolean],
        ["date"] = [BsonType.DateTime],
        ["null"] = [BsonType.Null],
        ["regex"] = [BsonType.RegularExpression],
        ["dbPointer"] = [],
        ["javascript"] = [BsonType.JavaScript],
        ["symbol"] = [BsonType.Symbol],
        ["javascriptWithScope"] = [BsonType.JavaScriptWithScope],
        ["int"] = [BsonType.Int32],
        ["timestamp"] = [BsonType.Timestamp],
        ["long"] = [BsonType.Int64],
        ["decimal"] = [BsonType.Decimal128],
        ["minKey"] = [BsonType.MinKey],
        ["maxKey"] = [BsonType.MaxKey],
        ["number"] = [BsonType.Double, BsonType.Int32, BsonType.Int64, BsonType.Decimal128],
    };

    private readonly HashSet<BsonType> _types;

    private TypePredicate(HashSet<BsonType> types) => _types = types;

    public static TypePredicate Create(BsonValue arg)
    {
        var set = new HashSet<BsonType>();
        if (arg is BsonArray arr)
        {
            if (arr.Count == 0)
            {
                throw CommandError.FailedToParse("$type must match at least one type");
            }

            foreach (var a in arr)
            {
                AddType(set, a);
            }
        }
        else
        {
            AddType(set, arg);
        }

        return new TypePredicate(set);
    }

    private static void AddType(HashSet<BsonType> set, BsonValue v)
    {
        if (v.BsonType == BsonType.String)
        {
            if (!Aliases.TryGetValue(v.AsString, out var types))
            {
                throw CommandError.BadValue($"Unknown type name alias: {v.AsString}");
            }

            set.UnionWith(types);
            return;
        }

        if (BsonOrder.IsNumber(v))
        {
            var d = BsonOrder.ToDouble(v);
            var code = (int)d;
            if (d != code || !Enum.IsDefined(typeof(BsonType), code) || code == 0)
            {
                throw CommandError.BadValue($"Invalid numerical type code: {BsonText.Format(v)}");
            }

            set.Add((BsonType)code);
            return;
        }

        throw CommandError.TypeMismatch("type must be represented as a number or a string");
    }

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => value is not null && _types.Contains(value.BsonType);
}
