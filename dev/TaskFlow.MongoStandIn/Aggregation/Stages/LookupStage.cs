namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>$lookup with localField/foreignField against a snapshot of another collection.</summary>
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
