namespace TaskFlow.MongoStandIn.Storage;

/// <summary>
/// One collection. Every method must be called while holding <see cref="Sync"/>. Stored documents are never
/// mutated (updates store a new document), so references handed out stay a consistent snapshot.
/// </summary>
internal sealed class CollectionState
{
    public static readonly BsonDocument IdIndexSpec = new() { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } };

    private readonly SortedDictionary<long, BsonDocument> _records = new();
    private readonly Dictionary<BsonValue, long> _ids = new(BsonOrder.EqualityComparer);
    private readonly List<IndexState> _indexes = [];
    private Journal? _journal;
    private long _nextRecordId = 1;

    public CollectionState(string database, string name, BsonDocument options, Journal? journal)
    {
        Database = database;
        Name = name;
        Options = options;
        _journal = journal;
    }

    public object Sync { get; } = new();

    public void AttachJournal(Journal? journal) => _journal = journal;

    public string Database { get; }

    public string Name { get; }

    public string Ns => Database + "." + Name;

    public BsonDocument Options { get; }

    public Guid Uuid { get; } = Guid.NewGuid();

    public bool Dropped { get; set; }

    public int Count => _records.Count;

    /// <summary>Total documents examined by queries on this collection (exposed by standInStats).</summary>
    public long TotalDocsExamined { get; private set; }

    public long TotalKeysExamined { get; private set; }

    public IReadOnlyList<IndexState> Indexes => _indexes;

    public TextIndexInfo? TextIndex => _indexes.FirstOrDefault(i => i.IsText)?.Text;

    public FilterCompileOptions FilterOptions => new(TextIndex);

    public long ApproximateSize { get; private set; }

    /// <summary>Documents in natural (insertion) order.</summary>
    public List<BsonDocument> Snapshot() => _records.Values.ToList();

    public IEnumerable<BsonDocument> Documents => _records.Values;

    public IEnumerable<KeyValuePair<long, BsonDocument>> Records => _records;

    public bool Contains(long recordId) => _records.ContainsKey(recordId);

    public BsonDocument? GetById(BsonValue id) => _ids.TryGetValue(id, out var rid) ? _records[rid] : null;

    public List<QueryHit> Find(CompiledFilter filter, QueryStats stats, int limit = 0)
    {
        var hits = new List<QueryHit>();
        var ctx = new MatchContext();
        foreach (var (rid, doc) in Candidates(filter, stats))
        {
            stats.DocsExamined++;
            if (!filter.Matches(doc, ctx))
            {
                continue;
            }

            hits.Add(new QueryHit(rid, doc, ctx.ArrayPosition, ctx.TextScore));
            if (limit > 0 && hits.Count >= limit)
            {
                break;
            }
        }

        TotalDocsExamined += stats.DocsExamined;
        TotalKeysExamined += stats.KeysExamined;
        return hits;
    }

    /// <summary>Chooses between the _id index, a secondary index on an equality field, and a collection scan.</summary>
    private IEnumerable<(long Rid, BsonDocument Doc)> Candidates(CompiledFilter filter, QueryStats stats)
    {
        var equalities = QueryPlanner.Equalities(filter.Source);
        if (equalities.TryGetValue("_id", out var idValues))
        {
            stats.Stage = idValues.Count == 1 ? "IDHACK" : "IXSCAN";
            stats.IndexName = "_id_";
            var rids = new SortedSet<long>();
            foreach (var v in idValues)
            {
                stats.KeysExamined++;
                if (_ids.TryGetValue(v, out var rid))
                {
                    rids.Add(rid);
                }
            }

            return rids.Select(r => (r, _records[r]));
        }

        IndexState? best = null;
        List<BsonValue>? bestValues = null;
        foreach (var index in _indexes)
        {
            if (index.IsText || index.Partial is not null || !equalities.TryGetValue(index.LeadingField, out var values))
            {
                continue;
            }

            if (best is null || (index.Unique && !best.Unique) || (index.Unique == best.Unique && index.Key.ElementCount > best.Key.ElementCount))
            {
                best = index;
                bestValues = values;
            }
        }

        if (best is not null && bestValues is not null)
        {
            stats.Stage = "IXSCAN";
            stats.IndexName = best.Name;
            var rids = new SortedSet<long>();
            foreach (var v in bestValues)
            {
                foreach (var rid in best.LookupLeading(v, () => stats.KeysExamined++))
                {
                    rids.Add(rid);
                }
            }

            return rids.Select(r => (r, _records[r]));
        }

        var ranges = QueryPlanner.Ranges(filter.Source);
        if (ranges.Count > 0)
        {
            foreach (var index in _indexes)
            {
                if (index.IsText || index.Partial is not null || !ranges.TryGetValue(index.LeadingField, out var range))
                {
                    continue;
                }

                // on a multikey index, different elements may satisfy each bound: use one bound only
                if (index.Multikey && range.Lower is not null)
                {
                    range = range with { Upper = null };
                }

                stats.Stage = "IXSCAN";
                stats.IndexName = index.Name;
                var rids = new SortedSet<long>();
                foreach (var rid in index.LookupLeadingRange(range, () => stats.KeysExamined++))
                {
                    rids.Add(rid);
                }

                return rids.Select(r => (r, _records[r]));
            }
        }

        stats.Stage = "COLLSCAN";
        return _records.Select(kv => (kv.Key, kv.Value));
    }

    public BsonDocument Insert(BsonDocument doc, List<Task> durability)
    {
        doc = NormalizeForInsert(doc);
        var id = doc["_id"];
        if (_ids.ContainsKey(id))
        {
            throw IndexState.DuplicateKeyError(Ns, "_id_", new BsonDocument("_id", 1), new BsonDocument("_id", id));
        }

        foreach (var index in _indexes)
        {
            var dup = index.FindDuplicate(doc, -1);
            if (dup is not null)
            {
                throw index.DuplicateError(Ns, dup);
            }
        }

        var rid = _nextRecordId++;
        _records[rid] = doc;
        _ids[id] = rid;
        foreach (var index in _indexes)
        {
            index.Add(rid, doc);
        }

        ApproximateSize += 64;
        AppendJournal(new BsonDocument { { "op", "i" }, { "db", Database }, { "c", Name }, { "doc", doc } }, durability);
        return doc;
    }

    /// <summary>Validates a document for storage, generating _id and moving it first.</summary>
    public static BsonDocument NormalizeForInsert(BsonDocument doc)
    {
        if (doc.TryGetValue("_id", out var id))
        {
            if (id is BsonArray)
            {
                throw new CommandError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type array");
            }

            if (id is BsonRegularExpression)
            {
                throw new CommandError(ErrorCodes.InvalidIdField, "can't use a regex for _id");
            }

            if (id is BsonUndefined)
            {
                throw new CommandError(ErrorCodes.InvalidIdField, "can't use a undefined for _id");
            }

            if (doc.IndexOfName("_id") != 0)
            {
                var copy = new BsonDocument(doc.Elements.Where(e => e.Name != "_id"));
                copy.InsertAt(0, new BsonElement("_id", id));
                doc = copy;
            }
        }
        else
        {
            var copy = new BsonDocument(doc.Elements);
            copy.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
            doc = copy;
        }

        foreach (var e in doc)
        {
            if (e.Name.StartsWith('$'))
            {
                throw new CommandError(ErrorCodes.BadValue, $"Document can't have $ prefixed field names: {e.Name}");
            }
        }

        return doc;
    }

    /// <summary>
    /// Stores a new version of a record. Only the indexes whose keys differ between the versions are touched: an update
    /// usually changes a few fields (the outbox relay's clear only <c>pendingEvents</c> and the lease), and every index
    /// entry rewritten costs a sorted-set removal and insertion. Uniqueness is checked before anything changes.
    /// </summary>
    public void Replace(long recordId, BsonDocument newDoc, List<Task> durability)
    {
        var old = _records[recordId];
        List<(IndexState Index, List<BsonValue[]> Old, List<BsonValue[]> New)>? changed = null;
        foreach (var index in _indexes)
        {
            var oldKeys = index.KeysOf(old);
            var newKeys = index.KeysOf(newDoc);
            if (IndexState.SameKeys(oldKeys, newKeys))
            {
                continue;
            }

            var dup = index.FindDuplicate(newKeys, recordId);
            if (dup is not null)
            {
                throw index.DuplicateError(Ns, dup);
            }

            (changed ??= []).Add((index, oldKeys, newKeys));
        }

        _records[recordId] = newDoc;
        foreach (var (index, oldKeys, newKeys) in changed ?? [])
        {
            index.RemoveKeys(recordId, oldKeys);
            index.AddKeys(recordId, newKeys);
        }

        AppendJournal(new BsonDocument { { "op", "u" }, { "db", Database }, { "c", Name }, { "doc", newDoc } }, durability);
    }

    public void Delete(long recordId, List<Task> durability)
    {
        var doc = _records[recordId];
        foreach (var index in _indexes)
        {
            index.Remove(recordId, doc);
        }

        _records.Remove(recordId);
        _ids.Remove(doc["_id"]);
        AppendJournal(new BsonDocument { { "op", "d" }, { "db", Database }, { "c", Name }, { "id", doc["_id"] } }, durability);
    }

    /// <summary>Replay helper: finds a record id by _id.</summary>
    public long? RecordIdOf(BsonValue id) => _ids.TryGetValue(id, out var rid) ? rid : null;

    public IReadOnlyList<BsonDocument> ListIndexSpecs()
    {
        var list = new List<BsonDocument> { IdIndexSpec };
        list.AddRange(_indexes.Select(i => i.Spec));
        return list;
    }

    /// <summary>Creates an index; returns false when an identical index already exists.</summary>
    public bool CreateIndex(IndexState index, List<Task> durability)
    {
        if (index.Name == "_id_" || (index.Key.ElementCount == 1 && index.Key.GetElement(0).Name == "_id" && BsonOrder.IsNumber(index.Key[0]) && !index.IsText))
        {
            if (index.Name == "_id_" && (index.Key.ElementCount != 1 || index.Key.GetElement(0).Name != "_id"))
            {
                throw new CommandError(ErrorCodes.IndexKeySpecsConflict, $"An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: {BsonText.Format(index.Spec)}, existing index: {BsonText.Format(IdIndexSpec)}");
            }

            if (index.Unique || index.Sparse || index.Partial is not null)
            {
                throw new CommandError(197, "The field 'unique' is not valid for an _id index specification.");
            }

            if (index.Name != "_id_")
            {
                throw new CommandError(ErrorCodes.IndexOptionsConflict, $"Index already exists with a different name: _id_");
            }

            return false;
        }

        foreach (var existing in _indexes)
        {
            if (existing.Name == index.Name)
            {
                if (BsonOrder.Compare(existing.Key, index.Key) != 0)
                {
                    throw new CommandError(ErrorCodes.IndexKeySpecsConflict, $"An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: {BsonText.Format(index.Spec)}, existing index: {BsonText.Format(existing.Spec)}");
                }

                if (!existing.SameOptions(index))
                {
                    throw new CommandError(ErrorCodes.IndexOptionsConflict, $"An equivalent index already exists with the same name but different options. Requested index: {BsonText.Format(index.Spec)}, existing index: {BsonText.Format(existing.Spec)}");
                }

                return false;
            }

            if (BsonOrder.Compare(existing.Key, index.Key) == 0 && existing.SameOptions(index) && BsonOrder.Compare(existing.Spec.GetValue("partialFilterExpression", BsonNull.Value), index.Spec.GetValue("partialFilterExpression", BsonNull.Value)) == 0)
            {
                throw new CommandError(ErrorCodes.IndexOptionsConflict, $"Index already exists with a different name: {existing.Name}");
            }

            if (existing.IsText && index.IsText)
            {
                throw new CommandError(ErrorCodes.IndexOptionsConflict, $"An equivalent index already exists with a different name and options. Requested index: {BsonText.Format(index.Spec)}, existing index: {BsonText.Format(existing.Spec)}");
            }
        }

        // build, enforcing uniqueness over existing documents
        foreach (var (rid, doc) in _records)
        {
            var dup = index.FindDuplicate(doc, rid);
            if (dup is not null)
            {
                index.Clear();
                throw index.DuplicateError(Ns, dup);
            }

            index.Add(rid, doc);
        }

        _indexes.Add(index);
        AppendJournal(new BsonDocument { { "op", "ci" }, { "db", Database }, { "c", Name }, { "spec", index.Spec } }, durability);
        return true;
    }

    public bool DropIndex(string name, List<Task> durability)
    {
        var index = _indexes.FirstOrDefault(i => i.Name == name);
        if (index is null)
        {
            return false;
        }

        _indexes.Remove(index);
        AppendJournal(new BsonDocument { { "op", "di" }, { "db", Database }, { "c", Name }, { "name", name } }, durability);
        return true;
    }

    private void AppendJournal(BsonDocument record, List<Task> durability)
    {
        if (_journal is not null)
        {
            durability.Add(_journal.Append(record));
        }
    }
}
