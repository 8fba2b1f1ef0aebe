namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>$group: one output document per distinct _id, with accumulators.</summary>
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
