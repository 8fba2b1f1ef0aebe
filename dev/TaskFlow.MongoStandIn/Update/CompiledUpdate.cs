namespace TaskFlow.MongoStandIn.Update;

/// <summary>A compiled update (replacement document, update operators or an update pipeline).</summary>
internal sealed class CompiledUpdate
{
    private static readonly HashSet<string> KnownOperators =
    [
        "$set", "$unset", "$inc", "$mul", "$min", "$max", "$push", "$pull", "$pullAll", "$addToSet", "$pop",
        "$setOnInsert", "$currentDate", "$rename", "$bit",
    ];

    private readonly List<UpdateOp> _ops = [];
    private BsonDocument? _replacement;
    private Func<BsonDocument, BsonDocument>? _pipeline;

    private CompiledUpdate(UpdateKind kind) => Kind = kind;

    public UpdateKind Kind { get; }

    public bool UsesPositional => _ops.Any(o => o.Parts.Contains("$"));

    public BsonDocument? Replacement => _replacement;

    public static CompiledUpdate Compile(BsonValue update, bool hasArrayFilters)
    {
        if (hasArrayFilters)
        {
            throw CommandError.NotImplemented("arrayFilters");
        }

        if (update is BsonArray pipeline)
        {
            return new CompiledUpdate(UpdateKind.Pipeline) { _pipeline = PipelineCompiler.CompileForUpdate(pipeline) };
        }

        if (update is not BsonDocument doc)
        {
            throw CommandError.FailedToParse("Update argument must be either an object or an array");
        }

        if (doc.ElementCount == 0 || !doc.GetElement(0).Name.StartsWith('$'))
        {
            foreach (var e in doc)
            {
                if (e.Name.StartsWith('$'))
                {
                    throw new CommandError(ErrorCodes.FailedToParse, $"The dollar ($) prefixed field '{e.Name}' in '{e.Name}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.");
                }
            }

            return new CompiledUpdate(UpdateKind.Replacement) { _replacement = doc };
        }

        var cu = new CompiledUpdate(UpdateKind.Operators);
        foreach (var e in doc)
        {
            if (!KnownOperators.Contains(e.Name))
            {
                throw new CommandError(ErrorCodes.FailedToParse, $"Unknown modifier: {e.Name}. Expected a valid update modifier or pipeline-style update specified as an array");
            }

            if (e.Value is not BsonDocument args)
            {
                throw new CommandError(ErrorCodes.FailedToParse, $"Modifiers operate on fields but we found type {BsonText.TypeName(e.Value)} instead. For example: {{$mod: {{<field>: ...}}}} not {{{e.Name}: {BsonText.Format(e.Value)}}}");
            }

            foreach (var a in args)
            {
                UpdateOperatorParser.Parse(e.Name, a.Name, a.Value, cu._ops);
            }
        }

        cu.CheckConflicts();
        return cu;
    }

    private void CheckConflicts()
    {
        var paths = _ops.Select(o => o.Parts).ToList();
        for (var i = 0; i < paths.Count; i++)
        {
            for (var j = i + 1; j < paths.Count; j++)
            {
                var a = paths[i];
                var b = paths[j];
                var n = Math.Min(a.Length, b.Length);
                var prefix = true;
                for (var k = 0; k < n; k++)
                {
                    if (a[k] != b[k])
                    {
                        prefix = false;
                        break;
                    }
                }

                if (prefix)
                {
                    var shorter = a.Length <= b.Length ? a : b;
                    var longer = a.Length <= b.Length ? b : a;
                    throw new CommandError(
                        ErrorCodes.ConflictingUpdateOperators,
                        $"Updating the path '{string.Join('.', longer)}' would create a conflict at '{string.Join('.', shorter)}'");
                }
            }
        }
    }

    /// <summary>Applies the update to a copy of <paramref name="original"/>.</summary>
    public BsonDocument Apply(BsonDocument original, int? position, bool isInsert)
    {
        switch (Kind)
        {
            case UpdateKind.Replacement:
                {
                    var r = (BsonDocument)(_replacement ?? new BsonDocument()).DeepClone();
                    if (original.TryGetValue("_id", out var id))
                    {
                        if (r.TryGetValue("_id", out var newId))
                        {
                            if (!isInsert && !UpdatePaths.SameValue(id, newId))
                            {
                                throw new CommandError(ErrorCodes.ImmutableField, $"After applying the update, the (immutable) field '_id' was found to have been altered to _id: {BsonText.Format(newId)}");
                            }

                            r.Remove("_id");
                        }

                        r.InsertAt(0, new BsonElement("_id", id));
                    }

                    return r;
                }

            case UpdateKind.Pipeline:
                {
                    var r = _pipeline is null ? original : _pipeline(original);
                    if (original.TryGetValue("_id", out var id) && !isInsert)
                    {
                        if (!r.TryGetValue("_id", out var newId) || !UpdatePaths.SameValue(id, newId))
                        {
                            throw new CommandError(ErrorCodes.ImmutableField, $"After applying the update, the (immutable) field '_id' was found to have been altered to _id: {BsonText.Format(r.GetValue("_id", BsonNull.Value))}");
                        }
                    }

                    return r;
                }
        }

        var doc = (BsonDocument)original.DeepClone();
        var ordered = _ops
            .Select((op, i) => (op, i))
            .OrderBy(x => x.op.Operator == "$unset" && _ops.Any(o => o.Operator == "$renameTo") ? 0 : 1)
            .ThenBy(x => x.op.Path, StringComparer.Ordinal)
            .Select(x => x.op)
            .ToList();
        var renames = new Dictionary<string, BsonValue>(StringComparer.Ordinal);
        foreach (var op in _ops.Where(o => o.Operator == "$renameTo"))
        {
            var source = op.Argument.AsString;
            var v = Paths.Get(original, source.Split('.'));
            if (v is not null)
            {
                if (UpdatePaths.HasArrayOnPath(original, source.Split('.')))
                {
                    throw new CommandError(ErrorCodes.BadValue, $"The source field cannot be an array element, '{source}' in doc with _id: {BsonText.Format(original.GetValue("_id", BsonNull.Value))} has an array field called '{source.Split('.')[0]}'");
                }

                renames[op.Path] = v;
            }
        }

        foreach (var op in ordered)
        {
            if (op.Operator == "$setOnInsert" && !isInsert)
            {
                continue;
            }

            var parts = UpdatePaths.ResolvePositional(op.Parts, position);
            if (op.Operator == "$renameTo")
            {
                if (renames.TryGetValue(op.Path, out var value))
                {
                    UpdatePaths.Navigate(doc, doc, parts, 0, create: true, (c, k) => UpdatePaths.SetValue(c, k, value));
                }

                continue;
            }

            var create = op.Operator is not ("$unset" or "$pop" or "$pull" or "$pullAll");
            UpdatePaths.Navigate(doc, doc, parts, 0, create, (container, key) => UpdateOperators.Apply(doc, op, container, key));
        }

        if (!isInsert && original.TryGetValue("_id", out var oid))
        {
            if (!doc.TryGetValue("_id", out var nid) || !UpdatePaths.SameValue(oid, nid))
            {
                throw new CommandError(ErrorCodes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
            }
        }

        return doc;
    }
}
