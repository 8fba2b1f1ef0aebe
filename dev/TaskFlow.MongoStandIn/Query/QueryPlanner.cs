namespace TaskFlow.MongoStandIn.Query;

/// <summary>Extracts the conjunctive equality conditions of a filter that an index can answer.</summary>
internal static class QueryPlanner
{
    public static Dictionary<string, List<BsonValue>> Equalities(BsonDocument filter)
    {
        var result = new Dictionary<string, List<BsonValue>>(StringComparer.Ordinal);
        Collect(filter, result);
        return result;
    }

    private static void Collect(BsonDocument filter, Dictionary<string, List<BsonValue>> result)
    {
        foreach (var e in filter)
        {
            if (e.Name == "$and" && e.Value is BsonArray and)
            {
                foreach (var d in and.OfType<BsonDocument>())
                {
                    Collect(d, result);
                }

                continue;
            }

            if (e.Name.StartsWith('$') || result.ContainsKey(e.Name))
            {
                continue;
            }

            List<BsonValue>? values = null;
            if (e.Value is BsonDocument d2 && d2.ElementCount > 0 && d2.GetElement(0).Name.StartsWith('$'))
            {
                if (d2.TryGetValue("$eq", out var eq))
                {
                    values = [eq];
                }
                else if (d2.TryGetValue("$in", out var inValues) && inValues is BsonArray ia)
                {
                    values = ia.ToList();
                }
            }
            else
            {
                values = [e.Value];
            }

            if (values is not null && values.All(Indexable))
            {
                result[e.Name] = values;
            }
        }
    }

    /// <summary>Top-level range conditions ($gt/$gte/$lt/$lte) per path, both bounds in one type bracket.</summary>
    public static Dictionary<string, KeyRange> Ranges(BsonDocument filter)
    {
        var result = new Dictionary<string, KeyRange>(StringComparer.Ordinal);
        CollectRanges(filter, result);
        return result;
    }

    private static void CollectRanges(BsonDocument filter, Dictionary<string, KeyRange> result)
    {
        foreach (var e in filter)
        {
            if (e.Name == "$and" && e.Value is BsonArray and)
            {
                foreach (var d in and.OfType<BsonDocument>())
                {
                    CollectRanges(d, result);
                }

                continue;
            }

            if (e.Name.StartsWith('$') || result.ContainsKey(e.Name) || e.Value is not BsonDocument ops || ops.ElementCount == 0 || !ops.GetElement(0).Name.StartsWith('$'))
            {
                continue;
            }

            BsonValue? lower = null;
            BsonValue? upper = null;
            var lowerInclusive = true;
            var upperInclusive = true;
            foreach (var op in ops)
            {
                if (!Indexable(op.Value) || op.Value.BsonType == BsonType.Document)
                {
                    continue;
                }

                switch (op.Name)
                {
                    case "$gt":
                    case "$gte":
                        lower = op.Value;
                        lowerInclusive = op.Name == "$gte";
                        break;
                    case "$lt":
                    case "$lte":
                        upper = op.Value;
                        upperInclusive = op.Name == "$lte";
                        break;
                }
            }

            if (lower is not null && upper is not null && BsonOrder.Rank(lower) != BsonOrder.Rank(upper))
            {
                upper = null;
            }

            if (lower is not null || upper is not null)
            {
                result[e.Name] = new KeyRange(lower, lowerInclusive, upper, upperInclusive);
            }
        }
    }

    private static bool Indexable(BsonValue v) =>
        !BsonOrder.IsNullish(v) && v.BsonType is not (BsonType.Array or BsonType.RegularExpression or BsonType.MinKey or BsonType.MaxKey or BsonType.Undefined);
}
