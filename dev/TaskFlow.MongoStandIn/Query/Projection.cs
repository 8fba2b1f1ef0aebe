namespace TaskFlow.MongoStandIn.Query;

/// <summary>Find projections and the $project stage (inclusion, exclusion, computed fields, $slice, $elemMatch, positional).</summary>
internal sealed class Projection
{
    private readonly ProjectionNode _root;
    private readonly bool _inclusion;
    private readonly bool _excludeId;
    private readonly bool _hasComputed;

    private Projection(ProjectionNode root, bool inclusion, bool excludeId, bool hasComputed, bool needsPosition)
    {
        _root = root;
        _inclusion = inclusion;
        _excludeId = excludeId;
        _hasComputed = hasComputed;
        NeedsPosition = needsPosition;
    }

    public bool NeedsPosition { get; }

    /// <summary>Compiles a projection. In find mode $slice/$elemMatch/positional have their find meaning.</summary>
    public static Projection Compile(BsonDocument spec, bool findMode)
    {
        var root = new ProjectionNode();
        bool? inclusion = null;
        var excludeId = false;
        var hasComputed = false;
        var needsPosition = false;

        void SetMode(bool include, string path)
        {
            if (inclusion is null)
            {
                inclusion = include;
            }
            else if (inclusion != include)
            {
                throw include
                    ? new CommandError(31253, $"Cannot do inclusion on field {path} in exclusion projection")
                    : new CommandError(31254, $"Cannot do exclusion on field {path} in inclusion projection");
            }
        }

        void Add(string prefix, BsonDocument d)
        {
            foreach (var e in d)
            {
                var path = prefix.Length == 0 ? e.Name : prefix + "." + e.Name;
                if (e.Name.StartsWith('$'))
                {
                    throw new CommandError(31252, $"Cannot use expression other than $meta in exclusion projection: {path}");
                }

                var parts = path.Split('.');
                var positional = false;
                if (findMode && parts[^1] == "$")
                {
                    positional = true;
                    parts = parts[..^1];
                    path = string.Join('.', parts);
                }

                var node = root;
                for (var i = 0; i < parts.Length; i++)
                {
                    if (node.Kind != ProjectionKind.Inner)
                    {
                        throw new CommandError(31249, $"Path collision at {path} remaining portion {string.Join('.', parts[i..])}");
                    }

                    if (!node.Children.TryGetValue(parts[i], out var child))
                    {
                        child = new ProjectionNode();
                        node.Children[parts[i]] = child;
                        node.Order.Add(parts[i]);
                    }
                    else if (i == parts.Length - 1)
                    {
                        throw new CommandError(31250, $"Path collision at {path}");
                    }

                    node = child;
                }

                if (positional)
                {
                    SetMode(true, path);
                    node.Kind = ProjectionKind.Positional;
                    needsPosition = true;
                    continue;
                }

                var v = e.Value;
                if (v is BsonDocument vd && vd.ElementCount > 0 && vd.GetElement(0).Name.StartsWith('$'))
                {
                    var op = vd.GetElement(0);
                    if (findMode && op.Name == "$slice" && vd.ElementCount == 1 && (BsonOrder.IsNumber(op.Value) || (op.Value is BsonArray sa && sa.Count == 2 && sa.All(BsonOrder.IsNumber))))
                    {
                        node.Kind = ProjectionKind.Slice;
                        if (op.Value is BsonArray arr)
                        {
                            node.SliceSkip = arr[0].ToInt32();
                            node.SliceLimit = arr[1].ToInt32();
                            if (node.SliceLimit <= 0)
                            {
                                throw new CommandError(28724, "$slice limit must be positive");
                            }
                        }
                        else
                        {
                            node.SliceSkip = int.MinValue;
                            node.SliceLimit = op.Value.ToInt32();
                        }

                        continue;
                    }

                    if (findMode && op.Name == "$elemMatch")
                    {
                        SetMode(true, path);
                        node.Kind = ProjectionKind.ElemMatch;
                        node.ElemMatch = FilterCompiler.Compile(op.Value as BsonDocument ?? throw CommandError.BadValue("elemMatch: Invalid argument, object required."));
                        continue;
                    }

                    if (op.Name != "$meta")
                    {
                        SetMode(true, path);
                    }

                    node.Kind = ProjectionKind.Computed;
                    node.Expr = ExpressionCompiler.Compile(v);
                    hasComputed = true;
                    continue;
                }

                if (v is BsonDocument nested)
                {
                    if (nested.ElementCount == 0)
                    {
                        throw new CommandError(51270, $"An empty sub-projection is not a valid value. Found empty object at path {path}");
                    }

                    Add(path, nested);
                    continue;
                }

                if (v.BsonType is BsonType.Boolean or BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128)
                {
                    var include = ExpressionEvaluator.IsTruthy(v);
                    if (path == "_id")
                    {
                        excludeId = !include;
                        node.Kind = include ? ProjectionKind.Include : ProjectionKind.Exclude;
                        continue;
                    }

                    SetMode(include, path);
                    node.Kind = include ? ProjectionKind.Include : ProjectionKind.Exclude;
                    continue;
                }

                // any other literal is a computed value
                SetMode(true, path);
                node.Kind = ProjectionKind.Computed;
                node.Expr = findMode ? new LiteralExpr(v) : ExpressionCompiler.Compile(v);
                hasComputed = true;
            }
        }

        Add(string.Empty, spec);
        if (!findMode && spec.ElementCount == 0)
        {
            throw new CommandError(51272, "projection specification must have at least one field");
        }

        // only _id: 0/1, or only $slice: an exclusion projection
        return new Projection(root, inclusion ?? (spec.ElementCount > 0 && root.Children.Values.All(c => c.Kind is ProjectionKind.Include) && !excludeId), excludeId, hasComputed, needsPosition);
    }

    public BsonDocument Apply(BsonDocument doc, MatchContext? match = null, double? textScore = null)
    {
        BsonDocument result;
        if (_inclusion)
        {
            result = new BsonDocument();
            if (!_excludeId && doc.TryGetValue("_id", out var id))
            {
                result["_id"] = id;
            }

            Include(result, doc, _root, match, top: true);
        }
        else
        {
            result = Exclude(doc, _root, match);
        }

        if (_hasComputed)
        {
            var ctx = new ExprContext(doc) { TextScore = textScore };
            AddComputed(result, _root, ctx);
        }

        return result;
    }

    private static void AddComputed(BsonDocument target, ProjectionNode node, ExprContext ctx)
    {
        foreach (var name in node.Order)
        {
            var child = node.Children[name];
            if (child.Kind == ProjectionKind.Computed && child.Expr is not null)
            {
                var v = child.Expr.Evaluate(ctx);
                if (v is not null)
                {
                    target[name] = v;
                }
            }
            else if (child.Kind == ProjectionKind.Inner && HasComputed(child))
            {
                if (!target.TryGetValue(name, out var sub) || sub is not BsonDocument sd)
                {
                    sd = new BsonDocument();
                    target[name] = sd;
                }

                AddComputed(sd, child, ctx);
            }
        }
    }

    private static bool HasComputed(ProjectionNode node) =>
        node.Children.Values.Any(c => c.Kind == ProjectionKind.Computed || (c.Kind == ProjectionKind.Inner && HasComputed(c)));

    private static void Include(BsonDocument target, BsonDocument source, ProjectionNode node, MatchContext? match, bool top)
    {
        foreach (var e in source)
        {
            if (!node.Children.TryGetValue(e.Name, out var child) || (top && e.Name == "_id" && child.Kind != ProjectionKind.Inner))
            {
                continue;
            }

            switch (child.Kind)
            {
                case ProjectionKind.Include:
                    target[e.Name] = e.Value;
                    break;
                case ProjectionKind.Slice:
                    target[e.Name] = Slice(e.Value, child);
                    break;
                case ProjectionKind.ElemMatch:
                    if (e.Value is BsonArray arr)
                    {
                        foreach (var el in arr)
                        {
                            if (el is BsonDocument ed && child.ElemMatch is not null && child.ElemMatch.Matches(ed))
                            {
                                target[e.Name] = new BsonArray { el };
                                break;
                            }
                        }
                    }

                    break;
                case ProjectionKind.Positional:
                    if (e.Value is BsonArray parr)
                    {
                        if (match?.ArrayPosition is not { } pos || pos >= parr.Count)
                        {
                            throw new CommandError(51246, "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
                        }

                        target[e.Name] = new BsonArray { parr[pos] };
                    }

                    break;
                case ProjectionKind.Inner:
                    {
                        var projected = IncludeValue(e.Value, child, match);
                        if (projected is not null)
                        {
                            target[e.Name] = projected;
                        }

                        break;
                    }
            }
        }
    }

    private static BsonValue? IncludeValue(BsonValue value, ProjectionNode node, MatchContext? match)
    {
        switch (value)
        {
            case BsonDocument d:
                {
                    var sub = new BsonDocument();
                    Include(sub, d, node, match, top: false);
                    return sub;
                }

            case BsonArray a:
                {
                    var r = new BsonArray();
                    foreach (var el in a)
                    {
                        if (el is BsonDocument or BsonArray)
                        {
                            var p = IncludeValue(el, node, match);
                            if (p is not null)
                            {
                                r.Add(p);
                            }
                        }
                    }

                    return r;
                }

            default:
                return null;
        }
    }

    private static BsonDocument Exclude(BsonDocument source, ProjectionNode node, MatchContext? match)
    {
        var result = new BsonDocument();
        foreach (var e in source)
        {
            if (!node.Children.TryGetValue(e.Name, out var child))
            {
                result[e.Name] = e.Value;
                continue;
            }

            switch (child.Kind)
            {
                case ProjectionKind.Exclude:
                    break;
                case ProjectionKind.Include:
                    result[e.Name] = e.Value;
                    break;
                case ProjectionKind.Slice:
                    result[e.Name] = Slice(e.Value, child);
                    break;
                case ProjectionKind.Inner:
                    result[e.Name] = ExcludeValue(e.Value, child, match);
                    break;
                default:
                    result[e.Name] = e.Value;
                    break;
            }
        }

        return result;
    }

    private static BsonValue ExcludeValue(BsonValue value, ProjectionNode node, MatchContext? match) => value switch
    {
        BsonDocument d => Exclude(d, node, match),
        BsonArray a => new BsonArray(a.Select(el => el is BsonDocument or BsonArray ? ExcludeValue(el, node, match) : el)),
        _ => value,
    };

    private static BsonValue Slice(BsonValue value, ProjectionNode node)
    {
        if (value is not BsonArray a || node.SliceLimit is not { } limit)
        {
            return value;
        }

        if (node.SliceSkip == int.MinValue)
        {
            return limit >= 0 ? new BsonArray(a.Take(limit)) : new BsonArray(a.Skip(Math.Max(0, a.Count + limit)));
        }

        var start = node.SliceSkip >= 0 ? Math.Min(node.SliceSkip, a.Count) : Math.Max(0, a.Count + node.SliceSkip);
        return new BsonArray(a.Skip(start).Take(limit));
    }
}
