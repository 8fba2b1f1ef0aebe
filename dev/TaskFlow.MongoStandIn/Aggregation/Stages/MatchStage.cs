namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>$match: keeps the documents the filter matches, recording text scores.</summary>
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
