namespace TaskFlow.MongoStandIn.Storage;

/// <summary>A secondary index: a sorted set of (key tuple, record id) entries, or a text index definition.</summary>
internal sealed class IndexState
{
    private static readonly HashSet<string> AllowedOptions =
    [
        "key", "name", "unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "background", "v", "weights",
        "default_language", "language_override", "textIndexVersion", "collation", "hidden", "ns",
    ];

    private readonly SortedSet<IndexEntry> _entries = new(EntryComparer.Instance);
    private readonly List<string[]> _fields = [];

    private IndexState()
    {
    }

    public required string Name { get; init; }

    public required BsonDocument Key { get; init; }

    /// <summary>The normalized specification as listIndexes reports it.</summary>
    public required BsonDocument Spec { get; init; }

    public bool Unique { get; private init; }

    public bool Sparse { get; private init; }

    public CompiledFilter? Partial { get; private init; }

    public TextIndexInfo? Text { get; private init; }

    public double? ExpireAfterSeconds { get; private init; }

    public string LeadingField => Key.GetElement(0).Name;

    public bool IsText => Text is not null;

    public int EntryCount => _entries.Count;

    public static string DefaultName(BsonDocument key) =>
        string.Join('_', key.Select(e => e.Name + "_" + (e.Value.BsonType == BsonType.String ? e.Value.AsString : BsonText.Format(e.Value))));

    /// <summary>Validates a createIndexes entry and builds the index (empty).</summary>
    public static IndexState FromSpec(BsonDocument spec)
    {
        if (!spec.TryGetValue("key", out var keyValue) || keyValue is not BsonDocument key || key.ElementCount == 0)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "The 'key' field is a required property of an index specification and must be a non-empty object");
        }

        if (!spec.TryGetValue("name", out var nameValue) || nameValue.BsonType != BsonType.String || nameValue.AsString.Length == 0)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "The 'name' field is a required property of an index specification");
        }

        foreach (var n in spec.Names)
        {
            if (!AllowedOptions.Contains(n))
            {
                throw new CommandError(197, $"The field '{n}' is not valid for an index specification. Specification: {BsonText.Format(spec)}");
            }
        }

        if (spec.TryGetValue("collation", out var collation) && !(collation is BsonDocument cd && cd.GetValue("locale", "simple") == "simple"))
        {
            throw CommandError.NotImplemented("index collations");
        }

        if (spec.TryGetValue("hidden", out var hidden) && hidden.ToBoolean())
        {
            throw CommandError.NotImplemented("hidden indexes");
        }

        var textFields = new List<(string, int)>();
        var weights = spec.GetValue("weights", new BsonDocument()) as BsonDocument ?? new BsonDocument();
        var hasText = false;
        foreach (var e in key)
        {
            if (e.Value.BsonType == BsonType.String)
            {
                switch (e.Value.AsString)
                {
                    case "text":
                        hasText = true;
                        textFields.Add((e.Name, weights.TryGetValue(e.Name, out var w) ? w.ToInt32() : 1));
                        continue;
                    case "hashed":
                        continue;
                    case "2d":
                    case "2dsphere":
                    case "geoHaystack":
                        throw CommandError.NotImplemented($"{e.Value.AsString} indexes");
                    default:
                        throw new CommandError(ErrorCodes.CannotCreateIndex, $"Unknown index plugin '{e.Value.AsString}'");
                }
            }

            if (!BsonOrder.IsNumber(e.Value) || BsonOrder.ToDouble(e.Value) == 0)
            {
                throw new CommandError(ErrorCodes.CannotCreateIndex, $"Values in the index key pattern can't be all zeros or non-numeric, found: {e.Name}: {BsonText.Format(e.Value)}");
            }
        }

        if (hasText)
        {
            foreach (var w in weights)
            {
                if (w.Name != "$**" && !textFields.Any(t => t.Item1 == w.Name))
                {
                    textFields.Add((w.Name, w.Value.ToInt32()));
                }
            }

            if (key.Any(e => e.Value.BsonType != BsonType.String || e.Value.AsString != "text"))
            {
                throw CommandError.NotImplemented("compound text indexes with non-text fields");
            }
        }

        CompiledFilter? partial = null;
        if (spec.TryGetValue("partialFilterExpression", out var pfe))
        {
            partial = FilterCompiler.Compile(pfe as BsonDocument ?? throw CommandError.BadValue("partialFilterExpression must be an object"));
        }

        var normalized = new BsonDocument { { "v", 2 }, { "key", key }, { "name", nameValue.AsString } };
        foreach (var e in spec)
        {
            if (e.Name is "key" or "name" or "v" or "background" or "ns" or "collation")
            {
                continue;
            }

            if (e.Name is "unique" or "sparse")
            {
                if (e.Value.ToBoolean())
                {
                    normalized[e.Name] = true;
                }

                continue;
            }

            normalized[e.Name] = e.Value;
        }

        if (hasText)
        {
            if (!normalized.Contains("weights"))
            {
                normalized["weights"] = new BsonDocument(textFields.Select(t => new BsonElement(t.Item1, t.Item2)));
            }

            normalized["default_language"] = spec.GetValue("default_language", "english");
            normalized["language_override"] = spec.GetValue("language_override", "language");
            normalized["textIndexVersion"] = 3;
        }

        var index = new IndexState
        {
            Name = nameValue.AsString,
            Key = key,
            Spec = normalized,
            Unique = spec.GetValue("unique", false).ToBoolean(),
            Sparse = spec.GetValue("sparse", false).ToBoolean(),
            Partial = partial,
            Text = hasText ? new TextIndexInfo(textFields) : null,
            ExpireAfterSeconds = spec.TryGetValue("expireAfterSeconds", out var ttl) && BsonOrder.IsNumber(ttl) ? BsonOrder.ToDouble(ttl) : null,
        };
        if (!hasText)
        {
            foreach (var e in key)
            {
                index._fields.Add(Paths.Split(e.Name));
            }
        }

        return index;
    }

    /// <summary>Whether two specs describe the same index (key and semantic options).</summary>
    public bool SameDefinition(IndexState other) =>
        BsonOrder.Compare(Key, other.Key) == 0 && SameOptions(other);

    public bool SameOptions(IndexState other) =>
        Unique == other.Unique && Sparse == other.Sparse && ExpireAfterSeconds == other.ExpireAfterSeconds
        && BsonOrder.Compare(Spec.GetValue("partialFilterExpression", BsonNull.Value), other.Spec.GetValue("partialFilterExpression", BsonNull.Value)) == 0;

    /// <summary>
    /// The key tuples of a document, or an empty list when the index skips it (sparse/partial). Runs for every index on
    /// every write (twice on an update), so the common case, one value per field, builds its one key without more.
    /// </summary>
    public List<BsonValue[]> KeysOf(BsonDocument doc)
    {
        if (IsText || (Partial is not null && !Partial.Matches(doc)))
        {
            return [];
        }

        var perField = new List<BsonValue>[_fields.Count];
        var anyPresent = false;
        var combinations = 1;
        for (var f = 0; f < perField.Length; f++)
        {
            var expanded = Paths.CollectKeyValues(doc, _fields[f]);
            if (expanded.Count > 0)
            {
                anyPresent = true;
            }
            else
            {
                expanded.Add(BsonNull.Value);
            }

            if (expanded.Count > 1)
            {
                // an array's equal elements are one key (first occurrence kept, in the index's equality)
                var seen = new HashSet<BsonValue>(BsonOrder.EqualityComparer);
                expanded.RemoveAll(v => !seen.Add(v));
            }

            perField[f] = expanded;
            combinations *= expanded.Count;
        }

        if (Sparse && !anyPresent)
        {
            return [];
        }

        var result = new List<BsonValue[]>(combinations);
        if (combinations == 1)
        {
            var key = new BsonValue[perField.Length];
            for (var f = 0; f < key.Length; f++)
            {
                key[f] = perField[f][0];
            }

            result.Add(key);
            return result;
        }

        void Build(int i, BsonValue[] acc)
        {
            if (i == perField.Length)
            {
                result.Add((BsonValue[])acc.Clone());
                return;
            }

            foreach (var v in perField[i])
            {
                acc[i] = v;
                Build(i + 1, acc);
            }
        }

        Build(0, new BsonValue[perField.Length]);
        return result;
    }

    /// <summary>Whether any document ever produced several keys (an array in an indexed field).</summary>
    public bool Multikey { get; private set; }

    public void Add(long recordId, BsonDocument doc) => AddKeys(recordId, KeysOf(doc));

    /// <summary>Adds the entries of keys computed by <see cref="KeysOf"/> for the record's document.</summary>
    public void AddKeys(long recordId, List<BsonValue[]> keys)
    {
        if (keys.Count > 1 || keys.Any(k => k.Any(v => v.BsonType == BsonType.Undefined)))
        {
            Multikey = true;
        }

        foreach (var k in keys)
        {
            _entries.Add(new IndexEntry(k, recordId));
        }
    }

    public void Remove(long recordId, BsonDocument doc) => RemoveKeys(recordId, KeysOf(doc));

    /// <summary>Removes the entries of keys computed by <see cref="KeysOf"/> for the record's document.</summary>
    public void RemoveKeys(long recordId, List<BsonValue[]> keys)
    {
        foreach (var k in keys)
        {
            _entries.Remove(new IndexEntry(k, recordId));
        }
    }

    /// <summary>
    /// Whether two key lists are identical, value for value and type for type (BSON equality, not the index's order:
    /// 1 and 1.0 sort together but are different keys to store).
    /// </summary>
    public static bool SameKeys(List<BsonValue[]> a, List<BsonValue[]> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!a[i].AsSpan().SequenceEqual(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    public void Clear() => _entries.Clear();

    /// <summary>Returns the first key of <paramref name="doc"/> already held by another record, if any.</summary>
    public BsonValue[]? FindDuplicate(BsonDocument doc, long selfRecordId) =>
        Unique ? FindDuplicate(KeysOf(doc), selfRecordId) : null;

    /// <summary>Returns the first of <paramref name="keys"/> already held by another record, if any.</summary>
    public BsonValue[]? FindDuplicate(List<BsonValue[]> keys, long selfRecordId)
    {
        if (!Unique)
        {
            return null;
        }

        foreach (var k in keys)
        {
            var lo = new IndexEntry(k, long.MinValue);
            var hi = new IndexEntry(k, long.MaxValue);
            foreach (var e in _entries.GetViewBetween(lo, hi))
            {
                if (e.RecordId != selfRecordId)
                {
                    return k;
                }
            }
        }

        return null;
    }

    /// <summary>Record ids whose leading key equals <paramref name="value"/>.</summary>
    public IEnumerable<long> LookupLeading(BsonValue value, Action onKey)
    {
        var lo = new BsonValue[_fields.Count];
        var hi = new BsonValue[_fields.Count];
        lo[0] = value;
        hi[0] = value;
        for (var i = 1; i < _fields.Count; i++)
        {
            lo[i] = BsonMinKey.Value;
            hi[i] = BsonMaxKey.Value;
        }

        foreach (var e in _entries.GetViewBetween(new IndexEntry(lo, long.MinValue), new IndexEntry(hi, long.MaxValue)))
        {
            onKey();
            yield return e.RecordId;
        }
    }

    /// <summary>Record ids whose leading key lies between the bounds, within the bounds' type bracket.</summary>
    public IEnumerable<long> LookupLeadingRange(KeyRange range, Action onKey)
    {
        var (lower, lowerInclusive, upper, upperInclusive) = range;
        var rank = BsonOrder.Rank(lower ?? upper);
        var lo = new BsonValue[_fields.Count];
        var hi = new BsonValue[_fields.Count];
        lo[0] = lower ?? BsonMinKey.Value;
        hi[0] = upper ?? BsonMaxKey.Value;
        for (var i = 1; i < _fields.Count; i++)
        {
            lo[i] = BsonMinKey.Value;
            hi[i] = BsonMaxKey.Value;
        }

        foreach (var e in _entries.GetViewBetween(new IndexEntry(lo, long.MinValue), new IndexEntry(hi, long.MaxValue)))
        {
            onKey();
            var r = BsonOrder.Rank(e.Key[0]);
            if (r < rank)
            {
                continue;
            }

            if (r > rank)
            {
                yield break;
            }

            if ((!lowerInclusive && lower is not null && BsonOrder.Compare(e.Key[0], lower) == 0)
                || (!upperInclusive && upper is not null && BsonOrder.Compare(e.Key[0], upper) == 0))
            {
                continue;
            }

            yield return e.RecordId;
        }
    }

    public CommandError DuplicateError(string ns, BsonValue[] key)
    {
        var keyValue = new BsonDocument();
        var i = 0;
        foreach (var e in Key)
        {
            keyValue.Add(e.Name, key[i++]);
        }

        return DuplicateKeyError(ns, Name, Key, keyValue);
    }

    public static CommandError DuplicateKeyError(string ns, string indexName, BsonDocument keyPattern, BsonDocument keyValue)
    {
        var shown = string.Join(", ", keyValue.Select(e => e.Name + ": " + BsonText.Format(e.Value)));
        return new CommandError(ErrorCodes.DuplicateKey, $"E11000 duplicate key error collection: {ns} index: {indexName} dup key: {{ {shown} }}")
        {
            Extra = new BsonDocument { { "keyPattern", keyPattern }, { "keyValue", keyValue } },
        };
    }

    private sealed class EntryComparer : IComparer<IndexEntry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(IndexEntry x, IndexEntry y)
        {
            var n = Math.Min(x.Key.Length, y.Key.Length);
            for (var i = 0; i < n; i++)
            {
                var c = BsonOrder.Compare(x.Key[i], y.Key[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.RecordId.CompareTo(y.RecordId);
        }
    }
}
