namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>$facet: runs several sub-pipelines over the same input, one output document holding each result.</summary>
internal sealed class FacetStage(List<(string Name, List<Stage> Stages)> facets) : Stage
{
    public static FacetStage Compile(BsonValue arg, Func<BsonValue, Stage> compileStage)
    {
        if (arg is not BsonDocument fd || fd.ElementCount == 0)
        {
            throw new CommandError(40169, "the $facet specification must be a non-empty object");
        }

        var facets = new List<(string Name, List<Stage> Stages)>();
        foreach (var f in fd)
        {
            if (f.Value is not BsonArray fp)
            {
                throw new CommandError(40170, $"arguments to $facet must be arrays, {f.Name} is type {BsonText.TypeName(f.Value)}");
            }

            facets.Add((f.Name, fp.Select(compileStage).ToList()));
        }

        return new FacetStage(facets);
    }

    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
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
    }
}
