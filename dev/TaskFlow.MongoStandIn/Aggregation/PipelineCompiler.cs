namespace TaskFlow.MongoStandIn.Aggregation;

/// <summary>Compiles aggregation pipelines; the larger stages compile themselves (see <c>Stages/</c>).</summary>
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
                return AddFieldsStage.Compile(name, arg);

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
                        ?? throw new CommandError(40228, $"'newRoot' expression must evaluate to an object, but resulting value was: {BsonText.Format(expr.Evaluate(new ExprContext(d)))}")));
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
                if (inFacet)
                {
                    throw new CommandError(40600, "$facet is not allowed to be used within a $facet stage");
                }

                return FacetStage.Compile(arg, s =>
                {
                    var (sn, sa) = StageOf(s);
                    return CompileStage(sn, sa, options, inFacet: true);
                });

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
}
