namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$in: equality with any value, or a match of any regex.</summary>
internal sealed class InPredicate(List<BsonValue> values, List<RegexPredicate> regexes) : ValuePredicate
{
    private readonly HashSet<BsonValue?> _set = new(values, BsonOrder.EqualityComparer);
    private readonly bool _hasNull = values.Any(BsonOrder.IsNullish);

    public IReadOnlyList<BsonValue> Values => values;

    public bool HasRegex => regexes.Count > 0;

    public override bool Test(BsonValue? v)
    {
        if (v is null || BsonOrder.IsNullish(v))
        {
            return _hasNull;
        }

        if (_set.Contains(v))
        {
            return true;
        }

        foreach (var r in regexes)
        {
            if (r.Test(v))
            {
                return true;
            }
        }

        return false;
    }
}
