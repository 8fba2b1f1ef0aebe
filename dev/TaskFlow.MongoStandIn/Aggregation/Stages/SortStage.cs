namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>$sort.</summary>
internal sealed class SortStage(SortSpec spec) : Stage
{
    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx) =>
        spec.Sort(input, d => d, d => ctx.ScoreOf(d) ?? 0);
}
