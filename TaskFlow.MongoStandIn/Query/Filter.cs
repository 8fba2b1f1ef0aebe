using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MongoDB.Bson;
using TaskFlow.MongoStandIn.Aggregation;
using TaskFlow.MongoStandIn.Bson;

namespace TaskFlow.MongoStandIn.Query;

/// <summary>State gathered while matching one document.</summary>
internal sealed class MatchContext
{
    /// <summary>Index of the array element that satisfied the query (for the positional <c>$</c> operator).</summary>
    public int? ArrayPosition { get; set; }

    public double TextScore { get; set; }

    public void Reset()
    {
        ArrayPosition = null;
        TextScore = 0;
    }
}

/// <summary>What the filter compiler needs to know about the collection (text index fields).</summary>
internal sealed record FilterCompileOptions(TextIndexInfo? TextIndex)
{
    public static readonly FilterCompileOptions None = new((TextIndexInfo?)null);
}

internal sealed record TextIndexInfo(IReadOnlyList<(string Path, int Weight)> Fields);

internal abstract class FilterNode
{
    public abstract bool Matches(BsonDocument doc, MatchContext ctx);

    public virtual bool UsesText => false;
}

internal sealed class CompiledFilter
{
    private readonly FilterNode _root;

    public CompiledFilter(BsonDocument source, FilterNode root)
    {
        Source = source;
        _root = root;
    }

    public BsonDocument Source { get; }

    public bool IsEmpty => Source.ElementCount == 0;

    public bool UsesText => _root.UsesText;

    public bool Matches(BsonDocument doc) => _root.Matches(doc, new MatchContext());

    public bool Matches(BsonDocument doc, MatchContext ctx)
    {
        ctx.Reset();
        return _root.Matches(doc, ctx);
    }
}

internal static class FilterCompiler
{
    private static readonly ConcurrentDictionary<(string, string), Regex> RegexCache = new();

    public static CompiledFilter Compile(BsonDocument? filter, FilterCompileOptions? options = null)
    {
        filter ??= new BsonDocument();
        return new CompiledFilter(filter, CompileDocument(filter, options ?? FilterCompileOptions.None));
    }

    public static FilterNode CompileDocument(BsonDocument filter, FilterCompileOptions options)
    {
        var nodes = new List<FilterNode>();
        foreach (var e in filter)
        {
            if (e.Name.StartsWith('$'))
            {
                var n = CompileTopLevelOperator(e.Name, e.Value, options);
                if (n is not null)
                {
                    nodes.Add(n);
                }
            }
            else
            {
                CompileField(e.Name, e.Value, options, nodes);
            }
        }

        return nodes.Count == 1 ? nodes[0] : new AndNode(nodes);
    }

    private static FilterNode? CompileTopLevelOperator(string op, BsonValue value, FilterCompileOptions options)
    {
        switch (op)
        {
            case "$and":
            case "$or":
            case "$nor":
                {
                    if (value is not BsonArray arr || arr.Count == 0)
                    {
                        throw CommandError.BadValue($"{op} must be a nonempty array");
                    }

                    var children = new List<FilterNode>();
                    foreach (var item in arr)
                    {
                        if (item is not BsonDocument d)
                        {
                            throw CommandError.BadValue($"$or/$and/$nor entries need to be full objects");
                        }

                        children.Add(CompileDocument(d, options));
                    }

                    return op switch
                    {
                        "$and" => new AndNode(children),
                        "$or" => new OrNode(children),
                        _ => new NotNode(new OrNode(children)),
                    };
                }

            case "$expr":
                return new ExprNode(ExpressionCompiler.Compile(value));
            case "$comment":
                return null;
            case "$alwaysTrue":
                return new ConstNode(true);
            case "$alwaysFalse":
                return new ConstNode(false);
            case "$text":
                return CompileText(value, options);
            case "$where":
            case "$jsonSchema":
            case "$sampleRate":
                throw CommandError.NotImplemented($"the {op} query operator");
            default:
                throw CommandError.BadValue(
                    $"unknown top level operator: {op}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.");
        }
    }

    private static FilterNode CompileText(BsonValue value, FilterCompileOptions options)
    {
        if (value is not BsonDocument spec || !spec.TryGetValue("$search", out var search) || search.BsonType != BsonType.String)
        {
            throw CommandError.FailedToParse("$text requires a $search string");
        }

        foreach (var e in spec)
        {
            switch (e.Name)
            {
                case "$search":
                    break;
                case "$language":
                    if (e.Value.BsonType != BsonType.String || (e.Value.AsString != "english" && e.Value.AsString != "en" && e.Value.AsString != "none"))
                    {
                        throw CommandError.NotImplemented("$text $language other than english/none");
                    }

                    break;
                case "$caseSensitive":
                case "$diacriticSensitive":
                    if (e.Value.ToBoolean())
                    {
                        throw CommandError.NotImplemented($"$text {e.Name}: true");
                    }

                    break;
                default:
                    throw CommandError.FailedToParse($"extra fields in $text: {e.Name}");
            }
        }

        if (options.TextIndex is null)
        {
            throw new CommandError(ErrorCodes.IndexNotFound, "text index required for $text query");
        }

        return new TextNode(options.TextIndex, TextQuery.Parse(search.AsString));
    }

    private static bool IsOperatorDocument(BsonValue value) =>
        value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$')
        && d.GetElement(0).Name is not ("$ref" or "$id" or "$db");

    private static void CompileField(string path, BsonValue value, FilterCompileOptions options, List<FilterNode> nodes)
    {
        var parts = Paths.Split(path);
        if (value is BsonRegularExpression re)
        {
            nodes.Add(new PathNode(parts, new RegexPredicate(GetRegex(re.Pattern, re.Options), re)));
            return;
        }

        if (!IsOperatorDocument(value))
        {
            nodes.Add(new PathNode(parts, new EqPredicate(value)));
            return;
        }

        var ops = value.AsBsonDocument;
        BsonValue? regexValue = null;
        BsonValue? regexOptions = null;
        foreach (var e in ops)
        {
            if (!e.Name.StartsWith('$'))
            {
                throw CommandError.BadValue($"unknown operator: {e.Name}");
            }

            switch (e.Name)
            {
                case "$regex":
                    regexValue = e.Value;
                    break;
                case "$options":
                    regexOptions = e.Value;
                    break;
                default:
                    nodes.Add(CompileFieldOperator(parts, e.Name, e.Value, options));
                    break;
            }
        }

        if (regexValue is not null || regexOptions is not null)
        {
            nodes.Add(new PathNode(parts, CompileRegex(regexValue, regexOptions)));
        }
    }

    private static RegexPredicate CompileRegex(BsonValue? regexValue, BsonValue? regexOptions)
    {
        if (regexValue is null)
        {
            throw CommandError.BadValue("$options needs a $regex");
        }

        string pattern;
        var opts = string.Empty;
        if (regexValue is BsonRegularExpression r)
        {
            pattern = r.Pattern;
            opts = r.Options;
        }
        else if (regexValue.BsonType == BsonType.String)
        {
            pattern = regexValue.AsString;
        }
        else
        {
            throw CommandError.BadValue("$regex has to be a string");
        }

        if (regexOptions is not null)
        {
            if (regexOptions.BsonType != BsonType.String)
            {
                throw CommandError.BadValue("$options has to be a string");
            }

            if (opts.Length > 0 && regexOptions.AsString.Length > 0)
            {
                throw CommandError.BadValue("options set in both $regex and $options");
            }

            opts = regexOptions.AsString.Length > 0 ? regexOptions.AsString : opts;
        }

        return new RegexPredicate(GetRegex(pattern, opts), new BsonRegularExpression(pattern, opts));
    }

    public static Regex GetRegex(string pattern, string options)
    {
        return RegexCache.GetOrAdd((pattern, options), static key =>
        {
            var ro = RegexOptions.CultureInvariant;
            foreach (var c in key.Item2)
            {
                ro |= c switch
                {
                    'i' => RegexOptions.IgnoreCase,
                    'm' => RegexOptions.Multiline,
                    's' => RegexOptions.Singleline,
                    'x' => RegexOptions.IgnorePatternWhitespace,
                    'u' => RegexOptions.None,
                    _ => throw new CommandError(51108, $"invalid flag in regex options: {c}"),
                };
            }

            try
            {
                return new Regex(key.Item1, ro, TimeSpan.FromSeconds(5));
            }
            catch (ArgumentException ex)
            {
                throw new CommandError(51091, $"Regular expression is invalid: {ex.Message}");
            }
        });
    }

    private static FilterNode CompileFieldOperator(string[] parts, string op, BsonValue arg, FilterCompileOptions options)
    {
        switch (op)
        {
            case "$eq":
                return new PathNode(parts, new EqPredicate(arg));
            case "$ne":
                return new NotNode(new PathNode(parts, new EqPredicate(arg)));
            case "$gt":
            case "$gte":
            case "$lt":
            case "$lte":
                if (arg is BsonRegularExpression)
                {
                    throw CommandError.BadValue($"Can't have RegEx as arg to predicate over field '{string.Join('.', parts)}'.");
                }

                return new PathNode(parts, new ComparePredicate(op, arg));
            case "$in":
                return new PathNode(parts, CompileIn(arg, "$in"));
            case "$nin":
                return new NotNode(new PathNode(parts, CompileIn(arg, "$nin")));
            case "$exists":
                {
                    var node = new PathNode(parts, ExistsPredicate.Instance);
                    return arg.ToBoolean() ? node : new NotNode(node);
                }

            case "$type":
                return new PathNode(parts, TypePredicate.Create(arg));
            case "$size":
                {
                    if (!BsonOrder.IsNumber(arg))
                    {
                        throw CommandError.BadValue("$size needs a number");
                    }

                    var d = BsonOrder.ToDouble(arg);
                    if (d != Math.Floor(d) || d < 0)
                    {
                        throw CommandError.BadValue("$size must be a whole, non-negative number");
                    }

                    return new PathNode(parts, new SizePredicate((int)d));
                }

            case "$all":
                {
                    if (arg is not BsonArray all)
                    {
                        throw CommandError.BadValue("$all needs an array");
                    }

                    if (all.Count == 0)
                    {
                        return new ConstNode(false);
                    }

                    var children = new List<FilterNode>();
                    foreach (var item in all)
                    {
                        if (item is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name == "$elemMatch")
                        {
                            children.Add(CompileFieldOperator(parts, "$elemMatch", d[0], options));
                        }
                        else if (IsOperatorDocument(item))
                        {
                            throw CommandError.BadValue("no $ expressions in $all");
                        }
                        else if (item is BsonRegularExpression re)
                        {
                            children.Add(new PathNode(parts, new RegexPredicate(GetRegex(re.Pattern, re.Options), re)));
                        }
                        else
                        {
                            children.Add(new PathNode(parts, new EqPredicate(item)));
                        }
                    }

                    return new AndNode(children);
                }

            case "$elemMatch":
                {
                    if (arg is not BsonDocument em)
                    {
                        throw CommandError.BadValue("$elemMatch needs an Object");
                    }

                    return new PathNode(parts, CompileElemMatch(em, options));
                }

            case "$not":
                {
                    if (arg is BsonRegularExpression re)
                    {
                        return new NotNode(new PathNode(parts, new RegexPredicate(GetRegex(re.Pattern, re.Options), re)));
                    }

                    if (arg is not BsonDocument nd)
                    {
                        throw CommandError.BadValue("$not needs a regex or a document");
                    }

                    if (nd.ElementCount == 0)
                    {
                        throw CommandError.BadValue("$not cannot be empty");
                    }

                    if (!IsOperatorDocument(nd))
                    {
                        throw CommandError.BadValue("unknown operator: " + nd.GetElement(0).Name);
                    }

                    var inner = new List<FilterNode>();
                    CompileField(string.Join('.', parts), nd, options, inner);
                    return new NotNode(inner.Count == 1 ? inner[0] : new AndNode(inner));
                }

            case "$mod":
                {
                    if (arg is not BsonArray m || m.Count != 2 || !BsonOrder.IsNumber(m[0]) || !BsonOrder.IsNumber(m[1]))
                    {
                        throw CommandError.BadValue("malformed mod, needs to be an array of two numbers");
                    }

                    var divisor = (long)BsonOrder.ToDouble(m[0]);
                    if (divisor == 0)
                    {
                        throw CommandError.BadValue("divisor cannot be 0");
                    }

                    return new PathNode(parts, new ModPredicate(divisor, (long)BsonOrder.ToDouble(m[1])));
                }

            case "$near":
            case "$nearSphere":
            case "$geoWithin":
            case "$geoIntersects":
            case "$within":
            case "$bitsAllSet":
            case "$bitsAnySet":
            case "$bitsAllClear":
            case "$bitsAnyClear":
                throw CommandError.NotImplemented($"the {op} query operator");
            default:
                throw CommandError.BadValue($"unknown operator: {op}");
        }
    }

    private static ValuePredicate CompileIn(BsonValue arg, string op)
    {
        if (arg is not BsonArray arr)
        {
            throw CommandError.BadValue($"{op} needs an array");
        }

        var eqs = new List<BsonValue>();
        var regexes = new List<RegexPredicate>();
        foreach (var item in arr)
        {
            if (item is BsonRegularExpression re)
            {
                regexes.Add(new RegexPredicate(GetRegex(re.Pattern, re.Options), re));
            }
            else if (IsOperatorDocument(item))
            {
                throw CommandError.BadValue($"cannot nest $ under {op}");
            }
            else
            {
                eqs.Add(item);
            }
        }

        return new InPredicate(eqs, regexes);
    }

    private static ValuePredicate CompileElemMatch(BsonDocument em, FilterCompileOptions options)
    {
        // value form: every top-level key is a field operator (not a logical one)
        var isValueForm = em.ElementCount > 0 && em.Names.All(n => n.StartsWith('$') && n is not ("$and" or "$or" or "$nor" or "$expr" or "$where" or "$text" or "$comment"));
        if (isValueForm)
        {
            var nodes = new List<FilterNode>();
            CompileField("x", em, options, nodes);
            return new ElemMatchPredicate(nodes.Count == 1 ? nodes[0] : new AndNode(nodes), valueForm: true);
        }

        return new ElemMatchPredicate(CompileDocument(em, options), valueForm: false);
    }
}

internal sealed class AndNode(List<FilterNode> children) : FilterNode
{
    public override bool UsesText => children.Any(c => c.UsesText);

    public override bool Matches(BsonDocument doc, MatchContext ctx)
    {
        foreach (var c in children)
        {
            if (!c.Matches(doc, ctx))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class OrNode(List<FilterNode> children) : FilterNode
{
    public override bool UsesText => children.Any(c => c.UsesText);

    public override bool Matches(BsonDocument doc, MatchContext ctx)
    {
        foreach (var c in children)
        {
            if (c.Matches(doc, ctx))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class NotNode(FilterNode inner) : FilterNode
{
    public override bool UsesText => inner.UsesText;

    public override bool Matches(BsonDocument doc, MatchContext ctx)
    {
        var saved = ctx.ArrayPosition;
        var r = !inner.Matches(doc, ctx);
        ctx.ArrayPosition = saved;
        return r;
    }
}

internal sealed class ConstNode(bool value) : FilterNode
{
    public override bool Matches(BsonDocument doc, MatchContext ctx) => value;
}

internal sealed class ExprNode(Expr expr) : FilterNode
{
    public override bool Matches(BsonDocument doc, MatchContext ctx) => ExpressionEvaluator.IsTruthy(expr.Evaluate(new ExprContext(doc)));
}

internal sealed class TextNode(TextIndexInfo index, TextQuery query) : FilterNode
{
    public override bool UsesText => true;

    public override bool Matches(BsonDocument doc, MatchContext ctx)
    {
        var score = query.Score(doc, index);
        if (score is null)
        {
            return false;
        }

        ctx.TextScore = score.Value;
        return true;
    }
}

/// <summary>Applies a predicate to the values at a path, traversing arrays as MongoDB does.</summary>
internal sealed class PathNode(string[] parts, ValuePredicate predicate) : FilterNode
{
    public override bool Matches(BsonDocument doc, MatchContext ctx) => Match(doc, 0, ctx);

    private bool Match(BsonValue current, int i, MatchContext ctx)
    {
        if (i == parts.Length)
        {
            if (predicate.Test(current, ctx))
            {
                return true;
            }

            if (predicate.ExpandArrays && current is BsonArray leaf)
            {
                for (var k = 0; k < leaf.Count; k++)
                {
                    if (predicate.Test(leaf[k]))
                    {
                        ctx.ArrayPosition = k;
                        return true;
                    }
                }
            }

            return false;
        }

        switch (current)
        {
            case BsonDocument d:
                return d.TryGetValue(parts[i], out var child) ? Match(child, i + 1, ctx) : predicate.Test(null);
            case BsonArray a:
                {
                    if (Paths.TryIndex(parts[i], out var idx))
                    {
                        if (idx < a.Count && Match(a[idx], i + 1, ctx))
                        {
                            return true;
                        }
                    }

                    var anyDoc = false;
                    for (var k = 0; k < a.Count; k++)
                    {
                        if (a[k] is BsonDocument)
                        {
                            anyDoc = true;
                            if (Match(a[k], i, ctx))
                            {
                                ctx.ArrayPosition = k;
                                return true;
                            }
                        }
                    }

                    // an array of scalars has no such field: treat as missing for null/$exists semantics
                    return !anyDoc && idx < 0 && predicate.MatchesMissingThroughScalarArray && predicate.Test(null);
                }

            default:
                return predicate.Test(null);
        }
    }
}

internal abstract class ValuePredicate
{
    /// <summary>Whether elements of a terminal array are tested individually (most operators).</summary>
    public virtual bool ExpandArrays => true;

    public virtual bool MatchesMissingThroughScalarArray => true;

    /// <summary>Tests one value; <c>null</c> means the field is missing.</summary>
    public abstract bool Test(BsonValue? value);

    /// <summary>Tests one value, recording the matched array position where the operator has one ($elemMatch).</summary>
    public virtual bool Test(BsonValue? value, MatchContext ctx) => Test(value);
}

internal sealed class EqPredicate(BsonValue value) : ValuePredicate
{
    private readonly bool _nullish = BsonOrder.IsNullish(value);

    public BsonValue Value => value;

    public override bool Test(BsonValue? v) => _nullish ? BsonOrder.IsNullish(v) : v is not null && BsonOrder.Compare(v, value) == 0;
}

internal sealed class ComparePredicate(string op, BsonValue value) : ValuePredicate
{
    private readonly int _rank = BsonOrder.Rank(value);

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? v)
    {
        if (BsonOrder.IsNullish(value))
        {
            return op is "$gte" or "$lte" && BsonOrder.IsNullish(v);
        }

        if (v is null)
        {
            return false;
        }

        int c;
        if (_rank is BsonOrder.RankMinKey or BsonOrder.RankMaxKey)
        {
            c = BsonOrder.Compare(v, value);
        }
        else
        {
            if (BsonOrder.Rank(v) != _rank)
            {
                return false;
            }

            c = BsonOrder.Compare(v, value);
        }

        return op switch
        {
            "$gt" => c > 0,
            "$gte" => c >= 0,
            "$lt" => c < 0,
            _ => c <= 0,
        };
    }
}

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

internal sealed class RegexPredicate(Regex regex, BsonRegularExpression original) : ValuePredicate
{
    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? v)
    {
        if (v is null)
        {
            return false;
        }

        return v.BsonType switch
        {
            BsonType.String => regex.IsMatch(v.AsString),
            BsonType.Symbol => regex.IsMatch(v.AsBsonSymbol.Name),
            BsonType.RegularExpression => v.AsBsonRegularExpression.Pattern == original.Pattern && v.AsBsonRegularExpression.Options == original.Options,
            _ => false,
        };
    }
}

internal sealed class ExistsPredicate : ValuePredicate
{
    public static readonly ExistsPredicate Instance = new();

    public override bool ExpandArrays => false;

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => value is not null;
}

internal sealed class SizePredicate(int size) : ValuePredicate
{
    public override bool ExpandArrays => false;

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => value is BsonArray a && a.Count == size;
}

internal sealed class ModPredicate(long divisor, long remainder) : ValuePredicate
{
    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value)
    {
        if (!BsonOrder.IsNumber(value) || value is null)
        {
            return false;
        }

        var d = BsonOrder.ToDouble(value);
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return false;
        }

        return (long)d % divisor == remainder;
    }
}

internal sealed class ElemMatchPredicate(FilterNode inner, bool valueForm) : ValuePredicate
{
    public override bool ExpandArrays => false;

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => IndexOfMatch(value) >= 0;

    public override bool Test(BsonValue? value, MatchContext ctx)
    {
        var index = IndexOfMatch(value);
        if (index < 0)
        {
            return false;
        }

        ctx.ArrayPosition = index;
        return true;
    }

    private int IndexOfMatch(BsonValue? value)
    {
        if (value is not BsonArray a)
        {
            return -1;
        }

        var ctx = new MatchContext();
        for (var i = 0; i < a.Count; i++)
        {
            var el = a[i];
            if (valueForm)
            {
                if (inner.Matches(new BsonDocument("x", el), ctx))
                {
                    return i;
                }
            }
            else if (el is BsonDocument d && inner.Matches(d, ctx))
            {
                return i;
            }
        }

        return -1;
    }
}

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
                throw CommandError.BadValue($"Invalid numerical type code: {BsonOrder.Format(v)}");
            }

            set.Add((BsonType)code);
            return;
        }

        throw CommandError.TypeMismatch("type must be represented as a number or a string");
    }

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => value is not null && _types.Contains(value.BsonType);
}
