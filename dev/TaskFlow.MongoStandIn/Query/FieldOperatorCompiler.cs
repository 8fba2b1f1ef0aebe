namespace TaskFlow.MongoStandIn.Query;

/// <summary>Compiles the operators of one field condition (<c>{field: {$op: arg}}</c>).</summary>
internal static class FieldOperatorCompiler
{

    public static FilterNode Compile(string[] parts, string op, BsonValue arg, FilterCompileOptions options)
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
                            children.Add(Compile(parts, "$elemMatch", d[0], options));
                        }
                        else if (FilterCompiler.IsOperatorDocument(item))
                        {
                            throw CommandError.BadValue("no $ expressions in $all");
                        }
                        else if (item is BsonRegularExpression re)
                        {
                            children.Add(new PathNode(parts, new RegexPredicate(RegexCache.Get(re.Pattern, re.Options), re)));
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
                        return new NotNode(new PathNode(parts, new RegexPredicate(RegexCache.Get(re.Pattern, re.Options), re)));
                    }

                    if (arg is not BsonDocument nd)
                    {
                        throw CommandError.BadValue("$not needs a regex or a document");
                    }

                    if (nd.ElementCount == 0)
                    {
                        throw CommandError.BadValue("$not cannot be empty");
                    }

                    if (!FilterCompiler.IsOperatorDocument(nd))
                    {
                        throw CommandError.BadValue("unknown operator: " + nd.GetElement(0).Name);
                    }

                    var inner = new List<FilterNode>();
                    FilterCompiler.CompileField(string.Join('.', parts), nd, options, inner);
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
                regexes.Add(new RegexPredicate(RegexCache.Get(re.Pattern, re.Options), re));
            }
            else if (FilterCompiler.IsOperatorDocument(item))
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
            FilterCompiler.CompileField("x", em, options, nodes);
            return new ElemMatchPredicate(nodes.Count == 1 ? nodes[0] : new AndNode(nodes), valueForm: true);
        }

        return new ElemMatchPredicate(FilterCompiler.CompileDocument(em, options), valueForm: false);
    }
}
