namespace TaskFlow.MongoStandIn.Query;

/// <summary>A sort specification with MongoDB semantics (arrays sort by their min/max element).</summary>
internal sealed class SortSpec
{
    private readonly List<(string[] Parts, int Direction, bool TextScore)> _keys;

    private SortSpec(List<(string[] Parts, int Direction, bool TextScore)> keys) => _keys = keys;

    public bool UsesTextScore => _keys.Any(k => k.TextScore);

    public static SortSpec? Parse(BsonValue? spec)
    {
        if (spec is null || spec.IsBsonNull)
        {
            return null;
        }

        if (spec is not BsonDocument d)
        {
            throw CommandError.BadValue("sort must be an object");
        }

        if (d.ElementCount == 0)
        {
            return null;
        }

        var keys = new List<(string[], int, bool)>();
        foreach (var e in d)
        {
            if (e.Value is BsonDocument meta)
            {
                if (meta.ElementCount == 1 && meta.GetElement(0).Name == "$meta" && meta[0] == "textScore")
                {
                    keys.Add((Paths.Split(e.Name), -1, true));
                    continue;
                }

                throw new CommandError(17312, $"$meta is the only expression supported by $sort right now");
            }

            if (!BsonOrder.IsNumber(e.Value))
            {
                throw new CommandError(15974, $"Illegal key in $sort specification: {e.Name}: {BsonText.Format(e.Value)}");
            }

            var dir = BsonOrder.ToDouble(e.Value);
            if (dir != 1 && dir != -1)
            {
                throw new CommandError(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
            }

            if (e.Name.Length == 0)
            {
                throw new CommandError(40352, "FieldPath cannot be constructed with empty string");
            }

            keys.Add((Paths.Split(e.Name), (int)dir, false));
        }

        return new SortSpec(keys);
    }

    public List<T> Sort<T>(IEnumerable<T> items, Func<T, BsonDocument> doc, Func<T, double>? score = null)
    {
        var keyed = items.Select(item => (Item: item, Key: KeyOf(doc(item), score is null ? 0 : score(item)))).ToList();
        return keyed.OrderBy(k => k.Key, new KeyComparer(_keys)).Select(k => k.Item).ToList();
    }

    private BsonValue?[] KeyOf(BsonDocument doc, double score)
    {
        var key = new BsonValue?[_keys.Count];
        for (var i = 0; i < _keys.Count; i++)
        {
            var (parts, dir, text) = _keys[i];
            if (text)
            {
                key[i] = new BsonDouble(score);
                continue;
            }

            var candidates = Paths.CollectKeyValues(doc, parts);

            if (candidates.Count == 0)
            {
                key[i] = BsonNull.Value;
                continue;
            }

            var best = candidates[0];
            for (var k = 1; k < candidates.Count; k++)
            {
                var c = BsonOrder.Compare(candidates[k], best);
                if (dir > 0 ? c < 0 : c > 0)
                {
                    best = candidates[k];
                }
            }

            key[i] = best;
        }

        return key;
    }

    private sealed class KeyComparer(List<(string[] Parts, int Direction, bool TextScore)> keys) : IComparer<BsonValue?[]>
    {
        public int Compare(BsonValue?[]? x, BsonValue?[]? y)
        {
            if (x is null || y is null)
            {
                return 0;
            }

            for (var i = 0; i < keys.Count; i++)
            {
                var c = BsonOrder.Compare(x[i], y[i]);
                if (c != 0)
                {
                    return keys[i].Direction * c;
                }
            }

            return 0;
        }
    }
}
