namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>$addFields / $set: evaluates expressions into (possibly nested) fields of each document.</summary>
internal sealed class AddFieldsStage : Stage
{
    private readonly List<(string[] Parts, Expr Expr)> _fields;

    private AddFieldsStage(List<(string[] Parts, Expr Expr)> fields) => _fields = fields;

    public static AddFieldsStage Compile(string name, BsonValue arg)
    {
        var spec = arg as BsonDocument ?? throw new CommandError(40272, $"{name} specification stage must be an object");
        var fields = new List<(string[] Parts, Expr Expr)>();
        FlattenAddFields(string.Empty, spec, fields);
        return new AddFieldsStage(fields);
    }

    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx) =>
        input.Select(d => AddFields(d, _fields, ctx));

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
