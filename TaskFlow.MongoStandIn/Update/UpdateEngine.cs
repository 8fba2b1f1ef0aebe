using MongoDB.Bson;
using TaskFlow.MongoStandIn.Aggregation;
using TaskFlow.MongoStandIn.Bson;
using TaskFlow.MongoStandIn.Query;

namespace TaskFlow.MongoStandIn.Update;

internal enum UpdateKind
{
    Replacement,
    Operators,
    Pipeline,
}

internal sealed record UpdateOp(string Operator, string Path, string[] Parts, BsonValue Argument);

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
                throw new CommandError(ErrorCodes.FailedToParse, $"Modifiers operate on fields but we found type {BsonOrder.TypeName(e.Value)} instead. For example: {{$mod: {{<field>: ...}}}} not {{{e.Name}: {BsonOrder.Format(e.Value)}}}");
            }

            foreach (var a in args)
            {
                cu.AddOp(e.Name, a.Name, a.Value);
            }
        }

        cu.CheckConflicts();
        return cu;
    }

    private void AddOp(string op, string path, BsonValue arg)
    {
        if (path.Length == 0 || path.Split('.').Any(p => p.Length == 0))
        {
            throw new CommandError(56, "An empty update path is not valid.");
        }

        var parts = path.Split('.');
        foreach (var p in parts)
        {
            if (p.StartsWith("$[", StringComparison.Ordinal) && p != "$[]")
            {
                throw CommandError.NotImplemented("filtered positional operators ($[<identifier>]) and arrayFilters");
            }

            if (p.StartsWith('$') && p != "$" && p != "$[]")
            {
                throw new CommandError(ErrorCodes.BadValue, $"The dollar ($) prefixed field '{p}' in '{path}' is not valid for storage.");
            }
        }

        switch (op)
        {
            case "$inc":
            case "$mul":
                if (!BsonOrder.IsNumber(arg))
                {
                    throw CommandError.TypeMismatch($"Cannot {(op == "$inc" ? "increment" : "multiply")} with non-numeric argument: {{{path}: {BsonOrder.Format(arg)}}}");
                }

                break;
            case "$rename":
                if (arg.BsonType != BsonType.String)
                {
                    throw CommandError.BadValue($"The 'to' field for $rename must be a string: {path}: {BsonOrder.Format(arg)}");
                }

                if (arg.AsString == path)
                {
                    throw CommandError.BadValue($"The source and target field for $rename must differ: {path}: \"{arg.AsString}\"");
                }

                if (path.Contains('$', StringComparison.Ordinal) || arg.AsString.Contains('$', StringComparison.Ordinal))
                {
                    throw CommandError.BadValue("The source and target field for $rename must not contain positional operators");
                }

                _ops.Add(new UpdateOp("$unset", path, parts, BsonNull.Value) { });
                _ops.Add(new UpdateOp("$renameTo", arg.AsString, arg.AsString.Split('.'), new BsonString(path)));
                return;
            case "$pop":
                if (!BsonOrder.IsNumber(arg) || (BsonOrder.ToDouble(arg) != 1 && BsonOrder.ToDouble(arg) != -1))
                {
                    throw CommandError.FailedToParse($"$pop expects 1 or -1, found: {BsonOrder.Format(arg)}");
                }

                break;
            case "$currentDate":
                if (arg is BsonDocument cd)
                {
                    if (cd.ElementCount != 1 || !cd.TryGetValue("$type", out var t) || t.BsonType != BsonType.String || (t.AsString != "date" && t.AsString != "timestamp"))
                    {
                        throw CommandError.BadValue("The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
                    }
                }
                else if (arg.BsonType != BsonType.Boolean)
                {
                    throw CommandError.BadValue($"{path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({{$type: 'timestamp/date'}}).");
                }

                break;
            case "$push":
            case "$addToSet":
                if (arg is BsonDocument pd && pd.Contains("$each"))
                {
                    if (pd["$each"] is not BsonArray)
                    {
                        throw CommandError.BadValue($"The argument to $each in {op} must be an array but it was of type: {BsonOrder.TypeName(pd["$each"])}");
                    }

                    foreach (var m in pd.Names)
                    {
                        var allowed = op == "$push" ? new[] { "$each", "$slice", "$position", "$sort" } : ["$each"];
                        if (!allowed.Contains(m))
                        {
                            throw CommandError.BadValue($"Unrecognized clause in {op}: {m}");
                        }
                    }

                    if (pd.TryGetValue("$sort", out var sortSpec) && sortSpec is BsonDocument sd)
                    {
                        SortSpec.Parse(sd);
                    }
                }

                break;
            case "$pullAll":
                if (arg is not BsonArray)
                {
                    throw CommandError.BadValue($"$pullAll requires an array argument but was given a {BsonOrder.TypeName(arg)}");
                }

                break;
            case "$pull":
                if (arg is BsonDocument pullDoc)
                {
                    // validate the condition now
                    if (pullDoc.ElementCount > 0 && pullDoc.GetElement(0).Name.StartsWith('$'))
                    {
                        FilterCompiler.Compile(new BsonDocument("x", pullDoc));
                    }
                    else
                    {
                        FilterCompiler.Compile(pullDoc);
                    }
                }

                break;
            case "$bit":
                if (arg is not BsonDocument bd || bd.ElementCount == 0 || bd.Names.Any(n => n is not ("and" or "or" or "xor")) || bd.Values.Any(v => v.BsonType is not (BsonType.Int32 or BsonType.Int64)))
                {
                    throw CommandError.BadValue("The $bit modifier only supports 'and', 'or', and 'xor' with int or long arguments");
                }

                break;
        }

        _ops.Add(new UpdateOp(op, path, parts, arg));
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
                            if (!isInsert && !SameValue(id, newId))
                            {
                                throw new CommandError(ErrorCodes.ImmutableField, $"After applying the update, the (immutable) field '_id' was found to have been altered to _id: {BsonOrder.Format(newId)}");
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
                        if (!r.TryGetValue("_id", out var newId) || !SameValue(id, newId))
                        {
                            throw new CommandError(ErrorCodes.ImmutableField, $"After applying the update, the (immutable) field '_id' was found to have been altered to _id: {BsonOrder.Format(r.GetValue("_id", BsonNull.Value))}");
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
                if (HasArrayOnPath(original, source.Split('.')))
                {
                    throw new CommandError(ErrorCodes.BadValue, $"The source field cannot be an array element, '{source}' in doc with _id: {BsonOrder.Format(original.GetValue("_id", BsonNull.Value))} has an array field called '{source.Split('.')[0]}'");
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

            var parts = ResolvePositional(op.Parts, position);
            if (op.Operator == "$renameTo")
            {
                if (renames.TryGetValue(op.Path, out var value))
                {
                    Navigate(doc, doc, parts, 0, create: true, (c, k) => SetValue(c, k, value));
                }

                continue;
            }

            var create = op.Operator is not ("$unset" or "$pop" or "$pull" or "$pullAll");
            Navigate(doc, doc, parts, 0, create, (container, key) => ApplyOp(doc, op, container, key));
        }

        if (!isInsert && original.TryGetValue("_id", out var oid))
        {
            if (!doc.TryGetValue("_id", out var nid) || !SameValue(oid, nid))
            {
                throw new CommandError(ErrorCodes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
            }
        }

        return doc;
    }

    private static bool HasArrayOnPath(BsonDocument doc, string[] parts)
    {
        BsonValue v = doc;
        foreach (var p in parts)
        {
            if (v is BsonArray)
            {
                return true;
            }

            if (v is not BsonDocument d || !d.TryGetValue(p, out var next))
            {
                return false;
            }

            v = next;
        }

        return false;
    }

    private static bool SameValue(BsonValue a, BsonValue b) => a.BsonType == b.BsonType && BsonOrder.Compare(a, b) == 0;

    private static string[] ResolvePositional(string[] parts, int? position)
    {
        if (!parts.Contains("$"))
        {
            return parts;
        }

        if (position is null)
        {
            throw CommandError.BadValue("The positional operator did not find the match needed from the query.");
        }

        var r = (string[])parts.Clone();
        var replaced = false;
        for (var i = 0; i < r.Length; i++)
        {
            if (r[i] == "$")
            {
                if (replaced)
                {
                    throw CommandError.BadValue("Too many positional (i.e. '$') elements found in path '" + string.Join('.', parts) + "'");
                }

                r[i] = position.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                replaced = true;
            }
        }

        return r;
    }

    private static string Describe(BsonValue v) => v is BsonDocument d ? BsonOrder.Format(d) : BsonOrder.Format(v);

    /// <summary>Walks to the container of the last path component and invokes <paramref name="action"/>.</summary>
    private static void Navigate(BsonDocument root, BsonValue current, string[] parts, int i, bool create, Action<BsonValue, string> action)
    {
        var part = parts[i];
        if (i == parts.Length - 1)
        {
            if (part == "$[]")
            {
                if (current is not BsonArray all)
                {
                    throw CommandError.BadValue($"The path '{string.Join('.', parts[..(i + 1)])}' must exist in the document in order to apply array updates.");
                }

                for (var k = 0; k < all.Count; k++)
                {
                    action(all, k.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                return;
            }

            if (current is BsonArray arr && !Paths.TryIndex(part, out _))
            {
                if (!create)
                {
                    return;
                }

                throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{part}' in element {{{parts[Math.Max(0, i - 1)]}: {Describe(arr)}}}");
            }

            action(current, part);
            return;
        }

        switch (current)
        {
            case BsonArray arr when part == "$[]":
                foreach (var el in arr)
                {
                    if (el is BsonDocument or BsonArray)
                    {
                        Navigate(root, el, parts, i + 1, create, action);
                    }
                    else if (create)
                    {
                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{parts[i + 1]}' in element {{{part}: {Describe(el)}}}");
                    }
                }

                return;
            case BsonDocument d:
                {
                    if (!d.TryGetValue(part, out var child))
                    {
                        if (!create)
                        {
                            return;
                        }

                        child = new BsonDocument();
                        d[part] = child;
                    }
                    else if (child is not (BsonDocument or BsonArray))
                    {
                        if (!create)
                        {
                            return;
                        }

                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{parts[i + 1]}' in element {{{part}: {Describe(child)}}}");
                    }

                    Navigate(root, child, parts, i + 1, create, action);
                    return;
                }

            case BsonArray arr:
                {
                    if (!Paths.TryIndex(part, out var idx))
                    {
                        if (!create)
                        {
                            return;
                        }

                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{part}' in element {{{parts[Math.Max(0, i - 1)]}: {Describe(arr)}}}");
                    }

                    if (idx >= arr.Count)
                    {
                        if (!create)
                        {
                            return;
                        }

                        while (arr.Count < idx)
                        {
                            arr.Add(BsonNull.Value);
                        }

                        arr.Add(new BsonDocument());
                    }

                    var child = arr[idx];
                    if (child is not (BsonDocument or BsonArray))
                    {
                        if (!create)
                        {
                            return;
                        }

                        throw new CommandError(ErrorCodes.PathNotViable, $"Cannot create field '{parts[i + 1]}' in element {{{part}: {Describe(child)}}}");
                    }

                    Navigate(root, child, parts, i + 1, create, action);
                    return;
                }
        }
    }

    private static BsonValue? GetValue(BsonValue container, string key)
    {
        if (container is BsonDocument d)
        {
            return d.TryGetValue(key, out var v) ? v : null;
        }

        if (container is BsonArray a && Paths.TryIndex(key, out var idx) && idx < a.Count)
        {
            return a[idx];
        }

        return null;
    }

    private static void SetValue(BsonValue container, string key, BsonValue value)
    {
        if (container is BsonDocument d)
        {
            d[key] = value;
            return;
        }

        if (container is BsonArray a && Paths.TryIndex(key, out var idx))
        {
            while (a.Count <= idx)
            {
                a.Add(BsonNull.Value);
            }

            a[idx] = value;
        }
    }

    private static void RemoveValue(BsonValue container, string key)
    {
        if (container is BsonDocument d)
        {
            d.Remove(key);
        }
        else if (container is BsonArray a && Paths.TryIndex(key, out var idx) && idx < a.Count)
        {
            a[idx] = BsonNull.Value;
        }
    }

    private static string IdText(BsonDocument doc) => $"{{_id: {BsonOrder.Format(doc.GetValue("_id", BsonNull.Value))}}}";

    private static void ApplyOp(BsonDocument doc, UpdateOp op, BsonValue container, string key)
    {
        var current = GetValue(container, key);
        var arg = op.Argument;
        switch (op.Operator)
        {
            case "$set":
            case "$setOnInsert":
                SetValue(container, key, arg.DeepClone());
                break;
            case "$unset":
                RemoveValue(container, key);
                break;
            case "$inc":
            case "$mul":
                if (current is null)
                {
                    SetValue(container, key, op.Operator == "$inc" ? arg : NumberMath.Zero(arg));
                }
                else if (!BsonOrder.IsNumber(current))
                {
                    throw CommandError.TypeMismatch($"Cannot apply {op.Operator} to a value of non-numeric type. {IdText(doc)} has the field '{key}' of non-numeric type {BsonOrder.TypeName(current)}");
                }
                else
                {
                    SetValue(container, key, op.Operator == "$inc" ? NumberMath.Add(current, arg) : NumberMath.Multiply(current, arg));
                }

                break;
            case "$min":
            case "$max":
                {
                    if (current is null)
                    {
                        SetValue(container, key, arg.DeepClone());
                        break;
                    }

                    var c = BsonOrder.Compare(arg, current);
                    if (op.Operator == "$min" ? c < 0 : c > 0)
                    {
                        SetValue(container, key, arg.DeepClone());
                    }

                    break;
                }

            case "$currentDate":
                {
                    var now = DateTime.UtcNow;
                    if (arg is BsonDocument t && t["$type"] == "timestamp")
                    {
                        SetValue(container, key, new BsonTimestamp((int)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1));
                    }
                    else
                    {
                        SetValue(container, key, new BsonDateTime(now));
                    }

                    break;
                }

            case "$push":
            case "$addToSet":
                {
                    BsonArray target;
                    if (current is null)
                    {
                        target = [];
                    }
                    else if (current is BsonArray existing)
                    {
                        target = existing;
                    }
                    else
                    {
                        throw CommandError.BadValue($"The field '{key}' must be an array but is of type {BsonOrder.TypeName(current)} in document {IdText(doc)}");
                    }

                    var items = arg is BsonDocument pd && pd.Contains("$each") ? pd["$each"].AsBsonArray.Select(v => v.DeepClone()).ToList() : [arg.DeepClone()];
                    if (op.Operator == "$addToSet")
                    {
                        foreach (var item in items)
                        {
                            if (!target.Any(x => BsonOrder.Compare(x, item) == 0))
                            {
                                target.Add(item);
                            }
                        }
                    }
                    else
                    {
                        var mods = arg as BsonDocument;
                        var hasEach = mods is not null && mods.Contains("$each");
                        var pos = target.Count;
                        if (hasEach && mods!.TryGetValue("$position", out var p))
                        {
                            var pi = p.ToInt32();
                            pos = pi < 0 ? Math.Max(0, target.Count + pi) : Math.Min(pi, target.Count);
                        }

                        for (var k = 0; k < items.Count; k++)
                        {
                            target.Insert(pos + k, items[k]);
                        }

                        if (hasEach && mods!.TryGetValue("$sort", out var sortSpec))
                        {
                            List<BsonValue> sorted;
                            if (sortSpec is BsonDocument sd)
                            {
                                var spec = SortSpec.Parse(sd);
                                sorted = spec is null ? target.ToList() : spec.Sort(target, v => v as BsonDocument ?? new BsonDocument());
                            }
                            else
                            {
                                var dir = sortSpec.ToInt32();
                                sorted = dir >= 0 ? target.OrderBy(v => v, BsonOrder.Comparer).ToList() : target.OrderByDescending(v => v, BsonOrder.Comparer).ToList();
                            }

                            target.Clear();
                            target.AddRange(sorted);
                        }

                        if (hasEach && mods!.TryGetValue("$slice", out var slice))
                        {
                            var n = slice.ToInt32();
                            var kept = n >= 0 ? target.Take(n).ToList() : target.Skip(Math.Max(0, target.Count + n)).ToList();
                            target.Clear();
                            target.AddRange(kept);
                        }
                    }

                    if (current is null)
                    {
                        SetValue(container, key, target);
                    }

                    break;
                }

            case "$pop":
                if (current is null)
                {
                    break;
                }

                if (current is not BsonArray popArr)
                {
                    throw CommandError.TypeMismatch($"Path '{op.Path}' contains an element of non-array type '{BsonOrder.TypeName(current)}'");
                }

                if (popArr.Count > 0)
                {
                    popArr.RemoveAt(BsonOrder.ToDouble(arg) > 0 ? popArr.Count - 1 : 0);
                }

                break;
            case "$pull":
            case "$pullAll":
                {
                    if (current is null)
                    {
                        break;
                    }

                    if (current is not BsonArray pullArr)
                    {
                        throw CommandError.BadValue("Cannot apply $pull to a non-array value");
                    }

                    Func<BsonValue, bool> remove;
                    if (op.Operator == "$pullAll")
                    {
                        var values = arg.AsBsonArray;
                        remove = v => values.Any(x => BsonOrder.Compare(x, v) == 0);
                    }
                    else if (arg is BsonDocument cond && cond.ElementCount > 0 && cond.GetElement(0).Name.StartsWith('$'))
                    {
                        var f = FilterCompiler.Compile(new BsonDocument("x", cond));
                        remove = v => f.Matches(new BsonDocument("x", v));
                    }
                    else if (arg is BsonDocument query)
                    {
                        var f = FilterCompiler.Compile(query);
                        remove = v => v is BsonDocument vd && f.Matches(vd);
                    }
                    else
                    {
                        remove = v => BsonOrder.Compare(v, arg) == 0;
                    }

                    for (var k = pullArr.Count - 1; k >= 0; k--)
                    {
                        if (remove(pullArr[k]))
                        {
                            pullArr.RemoveAt(k);
                        }
                    }

                    break;
                }

            case "$bit":
                {
                    var cur = current ?? new BsonInt32(0);
                    if (cur.BsonType is not (BsonType.Int32 or BsonType.Int64))
                    {
                        throw CommandError.BadValue($"Cannot apply $bit to a value of non-integral type. {IdText(doc)} has the field {key} of non-integer type {BsonOrder.TypeName(cur)}");
                    }

                    var value = cur.ToInt64();
                    var isLong = cur.BsonType == BsonType.Int64;
                    foreach (var e in arg.AsBsonDocument)
                    {
                        var m = e.Value.ToInt64();
                        isLong |= e.Value.BsonType == BsonType.Int64;
                        value = e.Name switch { "and" => value & m, "or" => value | m, _ => value ^ m };
                    }

                    SetValue(container, key, isLong ? new BsonInt64(value) : new BsonInt32((int)value));
                    break;
                }
        }
    }

    /// <summary>Builds the seed document of an upsert from the equality conditions of the query.</summary>
    public static BsonDocument SeedFromQuery(BsonDocument filter)
    {
        var seed = new BsonDocument();
        AddEqualities(seed, filter);
        if (seed.TryGetValue("_id", out var id) && seed.IndexOfName("_id") != 0)
        {
            seed.Remove("_id");
            seed.InsertAt(0, new BsonElement("_id", id));
        }

        return seed;
    }

    private static void AddEqualities(BsonDocument seed, BsonDocument filter)
    {
        foreach (var e in filter)
        {
            if (e.Name == "$and" && e.Value is BsonArray and)
            {
                foreach (var item in and.OfType<BsonDocument>())
                {
                    AddEqualities(seed, item);
                }

                continue;
            }

            if (e.Name.StartsWith('$'))
            {
                continue;
            }

            BsonValue? value = null;
            if (e.Value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'))
            {
                if (d.TryGetValue("$eq", out var eq))
                {
                    value = eq;
                }
                else if (d.TryGetValue("$in", out var inValues) && inValues is BsonArray ia && ia.Count == 1)
                {
                    value = ia[0];
                }
            }
            else if (e.Value is not BsonRegularExpression)
            {
                value = e.Value;
            }

            if (value is not null)
            {
                var parts = Paths.Split(e.Name);
                if (Paths.Get(seed, parts) is not null)
                {
                    throw new CommandError(54, $"cannot infer query fields to set, path '{e.Name}' is matched twice");
                }

                Paths.SetCreating(seed, parts, value.DeepClone());
            }
        }
    }
}
