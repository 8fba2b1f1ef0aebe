namespace TaskFlow.MongoStandIn.Query;

/// <summary>Compiles a query filter document: top-level operators and field conditions.</summary>
internal static class FilterCompiler
{
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

    public static bool IsOperatorDocument(BsonValue value) =>
        value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$')
        && d.GetElement(0).Name is not ("$ref" or "$id" or "$db");

    public static void CompileField(string path, BsonValue value, FilterCompileOptions options, List<FilterNode> nodes)
    {
        var parts = Paths.Split(path);
        if (value is BsonRegularExpression re)
        {
            nodes.Add(new PathNode(parts, new RegexPredicate(RegexCache.Get(re.Pattern, re.Options), re)));
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
                    nodes.Add(FieldOperatorCompiler.Compile(parts, e.Name, e.Value, options));
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

        return new RegexPredicate(RegexCache.Get(pattern, opts), new BsonRegularExpression(pattern, opts));
    }
}
