using MongoDB.Bson;
using TaskFlow.MongoStandIn.Bson;
using TaskFlow.MongoStandIn.Query;

namespace TaskFlow.MongoStandIn.Aggregation;

/// <summary>Per-execution state of a pipeline.</summary>
internal sealed class PipelineContext
{
    public PipelineContext(Func<string, IReadOnlyList<BsonDocument>>? collectionReader)
    {
        CollectionReader = collectionReader;
    }

    /// <summary>Reads a snapshot of another collection of the same database (for $lookup).</summary>
    public Func<string, IReadOnlyList<BsonDocument>>? CollectionReader { get; }

    public Dictionary<BsonDocument, double> TextScores { get; } = new(ReferenceEqualityComparer.Instance);

    public double? ScoreOf(BsonDocument d) => TextScores.TryGetValue(d, out var s) ? s : null;
}

internal abstract class Stage
{
    public abstract IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx);
}

internal sealed class CompiledPipeline(List<Stage> stages, CompiledFilter? leadingMatch)
{
    /// <summary>The filter of a leading $match stage, which the collection scan/index lookup answers.</summary>
    public CompiledFilter? LeadingMatch => leadingMatch;

    public IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
    {
        var current = input;
        foreach (var s in stages)
        {
            current = s.Execute(current, ctx);
        }

        return current;
    }
}

internal static class PipelineCompiler
{
    private static readonly HashSet<string> KnownUnsupported =
    [
        "$sample", "$bucket", "$bucketAuto", "$graphLookup", "$out", "$merge", "$geoNear", "$redact", "$densify", "$fill",
        "$setWindowFields", "$unionWith", "$collStats", "$indexStats", "$currentOp", "$listSessions", "$listLocalSessions",
        "$planCacheStats", "$search", "$searchMeta", "$vectorSearch", "$documents", "$changeStream", "$changeStreamSplitLargeEvent",
        "$listSearchIndexes", "$shardedDataDistribution",
    ];

    /// <summary>Compiles a pipeline; a leading $match is split off so the collection can use an index.</summary>
    public static CompiledPipeline Compile(BsonArray pipeline, FilterCompileOptions options, bool splitLeadingMatch)
    {
        var stages = new List<Stage>();
        CompiledFilter? leading = null;
        for (var i = 0; i < pipeline.Count; i++)
        {
            var (name, arg) = StageOf(pipeline[i]);
            if (name == "$match")
            {
                if (arg is not BsonDocument md)
                {
                    throw new CommandError(15959, "the match filter must be an expression in an object");
                }

                var filter = FilterCompiler.Compile(md, i == 0 ? options : options with { TextIndex = null });
                if (filter.UsesText && i != 0)
                {
                    throw new CommandError(17313, "$match with $text is only allowed as the first pipeline stage");
                }

                if (i == 0 && splitLeadingMatch)
                {
                    leading = filter;
                    continue;
                }

                stages.Add(new MatchStage(filter));
                continue;
            }

            stages.Add(CompileStage(name, arg, options, inFacet: false));
        }

        return new CompiledPipeline(stages, leading);
    }

    private static (string Name, BsonValue Arg) StageOf(BsonValue stage)
    {
        if (stage is not BsonDocument sd || sd.ElementCount != 1)
        {
            throw new CommandError(40323, "A pipeline stage specification object must contain exactly one field.");
        }

        var e = sd.GetElement(0);
        return (e.Name, e.Value);
    }

    /// <summary>Compiles an update pipeline ($set/$addFields, $unset, $project, $replaceRoot/$replaceWith only).</summary>
    public static Func<BsonDocument, BsonDocument> CompileForUpdate(BsonArray pipeline)
    {
        var stages = new List<Stage>();
        foreach (var s in pipeline)
        {
            var (name, arg) = StageOf(s);
            if (name is not ("$set" or "$addFields" or "$unset" or "$project" or "$replaceRoot" or "$replaceWith"))
            {
                throw new CommandError(ErrorCodes.InvalidOptions, $"{name} is not allowed to be used within an update");
            }

            stages.Add(CompileStage(name, arg, FilterCompileOptions.None, inFacet: false));
        }

        return doc =>
        {
            IEnumerable<BsonDocument> current = [doc];
            var ctx = new PipelineContext(null);
            foreach (var st in stages)
            {
                current = st.Execute(current, ctx);
            }

            return current.Single();
        };
    }

    private static Stage CompileStage(string name, BsonValue arg, FilterCompileOptions options, bool inFacet)
    {
        switch (name)
        {
            case "$match":
                return new MatchStage(FilterCompiler.Compile(arg as BsonDocument ?? throw new CommandError(15959, "the match filter must be an expression in an object"), options with { TextIndex = null }));
            case "$sort":
                {
                    if (arg is not BsonDocument sd || sd.ElementCount == 0)
                    {
                        throw new CommandError(15976, "$sort stage must have at least one sort key");
                    }

                    return new SortStage(SortSpec.Parse(sd) ?? throw new CommandError(15976, "$sort stage must have at least one sort key"));
                }

            case "$skip":
                {
                    if (!BsonOrder.IsNumber(arg) || BsonOrder.ToDouble(arg) < 0)
                    {
                        throw new CommandError(15956, "invalid argument to $skip stage: Expected a non-negative number");
                    }

                    var n = (long)BsonOrder.ToDouble(arg);
                    return new FuncStage((input, _) => input.Skip((int)Math.Min(n, int.MaxValue)));
                }

            case "$limit":
                {
                    if (!BsonOrder.IsNumber(arg) || BsonOrder.ToDouble(arg) <= 0)
                    {
                        throw new CommandError(15958, "the limit must be positive");
                    }

                    var n = (long)BsonOrder.ToDouble(arg);
                    return new FuncStage((input, _) => input.Take((int)Math.Min(n, int.MaxValue)));
                }

            case "$project":
                {
                    var projection = Projection.Compile(arg as BsonDocument ?? throw new CommandError(15969, "$project specification must be an object"), findMode: false);
                    return new FuncStage((input, ctx) => input.Select(d => projection.Apply(d, null, ctx.ScoreOf(d))));
                }

            case "$unset":
                {
                    var fields = arg is BsonArray a ? a.Select(x => x.AsString).ToList() : arg.BsonType == BsonType.String ? [arg.AsString] : throw new CommandError(31002, "$unset specification must be a string or an array");
                    if (fields.Count == 0)
                    {
                        throw new CommandError(31119, "$unset specification must be a string or an array with at least one field");
                    }

                    var spec = new BsonDocument();
                    foreach (var f in fields)
                    {
                        spec[f] = 0;
                    }

                    var projection = Projection.Compile(spec, findMode: false);
                    return new FuncStage((input, _) => input.Select(d => projection.Apply(d)));
                }

            case "$addFields":
            case "$set":
                {
                    var spec = arg as BsonDocument ?? throw new CommandError(40272, $"{name} specification stage must be an object");
                    var fields = new List<(string[] Parts, Expr Expr)>();
                    FlattenAddFields(string.Empty, spec, fields);
                    return new FuncStage((input, ctx) => input.Select(d => AddFields(d, fields, ctx)));
                }

            case "$replaceRoot":
            case "$replaceWith":
                {
                    BsonValue exprSpec;
                    if (name == "$replaceRoot")
                    {
                        if (arg is not BsonDocument rd || !rd.TryGetValue("newRoot", out var nr))
                        {
                            throw new CommandError(40231, "no newRoot specified for the $replaceRoot stage");
                        }

                        exprSpec = nr;
                    }
                    else
                    {
                        exprSpec = arg;
                    }

                    var expr = ExpressionCompiler.Compile(exprSpec);
                    return new FuncStage((input, _) => input.Select(d => expr.Evaluate(new ExprContext(d)) as BsonDocument
                        ?? throw new CommandError(40228, $"'newRoot' expression must evaluate to an object, but resulting value was: {BsonOrder.Format(expr.Evaluate(new ExprContext(d)))}")));
                }

            case "$group":
                return GroupStage.Compile(arg);
            case "$count":
                {
                    if (arg.BsonType != BsonType.String || arg.AsString.Length == 0)
                    {
                        throw new CommandError(40156, "the count field must be a non-empty string");
                    }

                    var field = arg.AsString;
                    if (field.StartsWith('$'))
                    {
                        throw new CommandError(40158, "the count field cannot be a $-prefixed path");
                    }

                    if (field.Contains('.', StringComparison.Ordinal))
                    {
                        throw new CommandError(40160, "the count field cannot contain '.'");
                    }

                    return new FuncStage((input, _) =>
                    {
                        var n = input.LongCount();
                        return n == 0 ? [] : [new BsonDocument(field, n <= int.MaxValue ? new BsonInt32((int)n) : new BsonInt64(n))];
                    });
                }

            case "$sortByCount":
                {
                    var group = GroupStage.Compile(new BsonDocument { { "_id", arg }, { "count", new BsonDocument("$sum", 1) } });
                    var sort = new SortStage(SortSpec.Parse(new BsonDocument("count", -1))!);
                    return new FuncStage((input, ctx) => sort.Execute(group.Execute(input, ctx), ctx));
                }

            case "$unwind":
                return UnwindStage.Compile(arg);
            case "$facet":
                {
                    if (inFacet)
                    {
                        throw new CommandError(40600, "$facet is not allowed to be used within a $facet stage");
                    }

                    if (arg is not BsonDocument fd || fd.ElementCount == 0)
                    {
                        throw new CommandError(40169, "the $facet specification must be a non-empty object");
                    }

                    var facets = new List<(string Name, List<Stage> Stages)>();
                    foreach (var f in fd)
                    {
                        if (f.Value is not BsonArray fp)
                        {
                            throw new CommandError(40170, $"arguments to $facet must be arrays, {f.Name} is type {BsonOrder.TypeName(f.Value)}");
                        }

                        var list = new List<Stage>();
                        foreach (var s in fp)
                        {
                            var (sn, sa) = StageOf(s);
                            list.Add(CompileStage(sn, sa, options, inFacet: true));
                        }

                        facets.Add((f.Name, list));
                    }

                    return new FuncStage((input, ctx) =>
                    {
                        var materialized = input.ToList();
                        var result = new BsonDocument();
                        foreach (var (fname, fstages) in facets)
                        {
                            IEnumerable<BsonDocument> cur = materialized;
                            foreach (var st in fstages)
                            {
                                cur = st.Execute(cur, ctx);
                            }

                            result[fname] = new BsonArray(cur);
                        }

                        return [result];
                    });
                }

            case "$lookup":
                return LookupStage.Compile(arg);
            default:
                if (KnownUnsupported.Contains(name))
                {
                    throw CommandError.NotImplemented($"the {name} aggregation stage");
                }

                throw new CommandError(ErrorCodes.UnrecognizedStage, $"Unrecognized pipeline stage name: '{name}'");
        }
    }

    private static void FlattenAddFields(string prefix, BsonDocument spec, List<(string[] Parts, Expr Expr)> fields)
    {
        foreach (var e in spec)
        {
            var path = prefix.Length == 0 ? e.Name : prefix + "." + e.Name;
            if (e.Name.StartsWith('$'))
            {
                throw new CommandError(16410, "FieldPath field names may not start with '$'. Consider using $getField or $setField.");
            }

            if (e.Value is BsonDocument d && d.ElementCount > 0 && !d.GetElement(0).Name.StartsWith('$'))
            {
                FlattenAddFields(path, d, fields);
                continue;
            }

            fields.Add((path.Split('.'), ExpressionCompiler.Compile(e.Value)));
        }
    }

    private static BsonDocument AddFields(BsonDocument doc, List<(string[] Parts, Expr Expr)> fields, PipelineContext ctx)
    {
        var exprCtx = new ExprContext(doc) { TextScore = ctx.ScoreOf(doc) };
        var values = fields.Select(f => f.Expr.Evaluate(exprCtx)).ToList();
        var result = new BsonDocument(doc.Elements);
        for (var i = 0; i < fields.Count; i++)
        {
            SetPath(result, fields[i].Parts, 0, values[i]);
        }

        return result;
    }

    /// <summary>Sets (or removes when value is null) a path on a shallow copy, copying nested documents on the way.</summary>
    private static void SetPath(BsonDocument target, string[] parts, int i, BsonValue? value)
    {
        var name = parts[i];
        if (i == parts.Length - 1)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else
            {
                target[name] = value;
            }

            return;
        }

        target.TryGetValue(name, out var child);
        switch (child)
        {
            case BsonDocument cd:
                {
                    var copy = new BsonDocument(cd.Elements);
                    SetPath(copy, parts, i + 1, value);
                    target[name] = copy;
                    break;
                }

            case BsonArray arr:
                {
                    var copy = new BsonArray();
                    foreach (var el in arr)
                    {
                        if (el is BsonDocument ed)
                        {
                            var c = new BsonDocument(ed.Elements);
                            SetPath(c, parts, i + 1, value);
                            copy.Add(c);
                        }
                        else
                        {
                            copy.Add(el);
                        }
                    }

                    target[name] = copy;
                    break;
                }

            default:
                {
                    if (value is null)
                    {
                        return;
                    }

                    var nd = new BsonDocument();
                    SetPath(nd, parts, i + 1, value);
                    target[name] = nd;
                    break;
                }
        }
    }
}

internal sealed class FuncStage(Func<IEnumerable<BsonDocument>, PipelineContext, IEnumerable<BsonDocument>> impl) : Stage
{
    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx) => impl(input, ctx);
}

internal sealed class MatchStage(CompiledFilter filter) : Stage
{
    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
    {
        var mc = new MatchContext();
        foreach (var d in input)
        {
            if (filter.Matches(d, mc))
            {
                if (filter.UsesText)
                {
                    ctx.TextScores[d] = mc.TextScore;
                }

                yield return d;
            }
        }
    }
}

internal sealed class SortStage(SortSpec spec) : Stage
{
    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx) =>
        spec.Sort(input, d => d, d => ctx.ScoreOf(d) ?? 0);
}

internal sealed class GroupStage : Stage
{
    private readonly Expr _id;
    private readonly List<(string Name, string Op, Expr Expr)> _accumulators;

    private GroupStage(Expr id, List<(string Name, string Op, Expr Expr)> accumulators)
    {
        _id = id;
        _accumulators = accumulators;
    }

    public static GroupStage Compile(BsonValue arg)
    {
        if (arg is not BsonDocument spec)
        {
            throw new CommandError(15947, "a group's fields must be specified in an object");
        }

        if (!spec.TryGetValue("_id", out var idSpec))
        {
            throw new CommandError(15955, "a group specification must include an _id");
        }

        var accs = new List<(string, string, Expr)>();
        foreach (var e in spec)
        {
            if (e.Name == "_id")
            {
                continue;
            }

            if (e.Name.Contains('.', StringComparison.Ordinal))
            {
                throw new CommandError(40235, $"The field name '{e.Name}' cannot contain '.'");
            }

            if (e.Value is not BsonDocument ad || ad.ElementCount == 0 || !ad.GetElement(0).Name.StartsWith('$'))
            {
                throw new CommandError(40234, $"The field '{e.Name}' must be an accumulator object");
            }

            if (ad.ElementCount > 1)
            {
                throw new CommandError(40238, $"The field '{e.Name}' must specify one accumulator");
            }

            var op = ad.GetElement(0);
            if (op.Name == "$count")
            {
                if (op.Value is not BsonDocument cd || cd.ElementCount != 0)
                {
                    throw new CommandError(ErrorCodes.TypeMismatch, "$count takes no arguments, i.e. $count:{}");
                }

                accs.Add((e.Name, "$sum", new LiteralExpr(1)));
                continue;
            }

            if (!Accumulators.Names.Contains(op.Name))
            {
                throw new CommandError(ErrorCodes.UnknownGroupOperator, $"unknown group operator '{op.Name}'");
            }

            if (op.Value is BsonArray)
            {
                throw new CommandError(40237, $"The {op.Name} accumulator is a unary operator");
            }

            accs.Add((e.Name, op.Name, ExpressionCompiler.Compile(op.Value)));
        }

        return new GroupStage(ExpressionCompiler.Compile(idSpec), accs);
    }

    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
    {
        var groups = new Dictionary<BsonValue, Accumulator[]>(BsonOrder.EqualityComparer);
        var order = new List<BsonValue>();
        foreach (var d in input)
        {
            var ec = new ExprContext(d) { TextScore = ctx.ScoreOf(d) };
            var key = _id.Evaluate(ec) ?? BsonNull.Value;
            if (!groups.TryGetValue(key, out var accs))
            {
                accs = _accumulators.Select(a => Accumulators.Create(a.Op)).ToArray();
                groups[key] = accs;
                order.Add(key);
            }

            for (var i = 0; i < accs.Length; i++)
            {
                accs[i].Add(_accumulators[i].Expr.Evaluate(ec));
            }
        }

        foreach (var key in order)
        {
            var accs = groups[key];
            var result = new BsonDocument("_id", key);
            for (var i = 0; i < accs.Length; i++)
            {
                result[_accumulators[i].Name] = accs[i].Result() ?? BsonNull.Value;
            }

            yield return result;
        }
    }
}

internal sealed class UnwindStage : Stage
{
    private readonly string[] _parts;
    private readonly string? _indexField;
    private readonly bool _preserve;

    private UnwindStage(string[] parts, string? indexField, bool preserve)
    {
        _parts = parts;
        _indexField = indexField;
        _preserve = preserve;
    }

    public static UnwindStage Compile(BsonValue arg)
    {
        string path;
        string? indexField = null;
        var preserve = false;
        if (arg.BsonType == BsonType.String)
        {
            path = arg.AsString;
        }
        else if (arg is BsonDocument d)
        {
            foreach (var e in d)
            {
                switch (e.Name)
                {
                    case "path":
                    case "includeArrayIndex":
                    case "preserveNullAndEmptyArrays":
                        break;
                    default:
                        throw new CommandError(28811, $"unrecognized option to $unwind stage: {e.Name}");
                }
            }

            path = d.TryGetValue("path", out var p) && p.BsonType == BsonType.String ? p.AsString : throw new CommandError(28812, "no path specified to $unwind stage");
            if (d.TryGetValue("includeArrayIndex", out var ix))
            {
                indexField = ix.AsString;
            }

            preserve = d.TryGetValue("preserveNullAndEmptyArrays", out var pr) && pr.ToBoolean();
        }
        else
        {
            throw new CommandError(15981, "expected either a string or an object as specification for $unwind stage");
        }

        if (!path.StartsWith('$') || path.Length < 2)
        {
            throw new CommandError(28818, $"path option to $unwind stage should be prefixed with a '$': {path}");
        }

        return new UnwindStage(path[1..].Split('.'), indexField, preserve);
    }

    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
    {
        foreach (var d in input)
        {
            var value = Paths.Get(d, _parts);
            if (value is BsonArray arr && arr.Count > 0)
            {
                for (var i = 0; i < arr.Count; i++)
                {
                    var copy = WithValue(d, arr[i]);
                    if (_indexField is not null)
                    {
                        copy[_indexField] = new BsonInt64(i);
                    }

                    yield return copy;
                }

                continue;
            }

            if (value is not null && value is not BsonArray && !value.IsBsonNull)
            {
                var copy = WithValue(d, value);
                if (_indexField is not null)
                {
                    copy[_indexField] = BsonNull.Value;
                }

                yield return copy;
                continue;
            }

            if (_preserve)
            {
                var copy = value is BsonArray ? WithValue(d, null) : new BsonDocument(d.Elements);
                if (_indexField is not null)
                {
                    copy[_indexField] = BsonNull.Value;
                }

                yield return copy;
            }
        }
    }

    private BsonDocument WithValue(BsonDocument d, BsonValue? value)
    {
        var copy = new BsonDocument(d.Elements);
        var target = copy;
        for (var i = 0; i < _parts.Length - 1; i++)
        {
            var child = (BsonDocument)target[_parts[i]];
            var childCopy = new BsonDocument(child.Elements);
            target[_parts[i]] = childCopy;
            target = childCopy;
        }

        if (value is null)
        {
            target.Remove(_parts[^1]);
        }
        else
        {
            target[_parts[^1]] = value;
        }

        return copy;
    }
}

internal sealed class LookupStage : Stage
{
    private readonly string _from;
    private readonly string[] _local;
    private readonly string[] _foreign;
    private readonly string _as;

    private LookupStage(string from, string[] local, string[] foreign, string asField)
    {
        _from = from;
        _local = local;
        _foreign = foreign;
        _as = asField;
    }

    public static LookupStage Compile(BsonValue arg)
    {
        if (arg is not BsonDocument d)
        {
            throw new CommandError(ErrorCodes.FailedToParse, "the $lookup specification must be an Object");
        }

        foreach (var n in d.Names)
        {
            if (n is "let" or "pipeline")
            {
                throw CommandError.NotImplemented("$lookup with let/pipeline");
            }

            if (n is not ("from" or "localField" or "foreignField" or "as"))
            {
                throw new CommandError(ErrorCodes.FailedToParse, $"unknown argument to $lookup: {n}");
            }
        }

        string Req(string n) => d.TryGetValue(n, out var v) && v.BsonType == BsonType.String ? v.AsString : throw new CommandError(ErrorCodes.FailedToParse, $"$lookup argument '{n}' must be a string");
        return new LookupStage(Req("from"), Req("localField").Split('.'), Req("foreignField").Split('.'), Req("as"));
    }

    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
    {
        var foreignDocs = ctx.CollectionReader?.Invoke(_from) ?? [];
        foreach (var d in input)
        {
            var locals = Paths.Collect(d, _local, expandLeafArrays: true);
            if (locals.Count == 0)
            {
                locals.Add(BsonNull.Value);
            }

            var set = new HashSet<BsonValue?>(locals, BsonOrder.EqualityComparer);
            var matches = new BsonArray();
            foreach (var f in foreignDocs)
            {
                var fv = Paths.Collect(f, _foreign, expandLeafArrays: true);
                if (fv.Count == 0)
                {
                    fv.Add(BsonNull.Value);
                }

                if (fv.Any(set.Contains))
                {
                    matches.Add(f);
                }
            }

            var copy = _as.Contains('.', StringComparison.Ordinal) ? (BsonDocument)d.DeepClone() : new BsonDocument(d.Elements);
            Paths.SetCreating(copy, _as.Split('.'), matches);
            yield return copy;
        }
    }
}
