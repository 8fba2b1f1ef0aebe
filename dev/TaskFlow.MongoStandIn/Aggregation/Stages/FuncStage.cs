namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>A stage given as a function of the stream ($skip, $limit, $project, ...).</summary>
internal sealed class FuncStage(Func<IEnumerable<BsonDocument>, PipelineContext, IEnumerable<BsonDocument>> impl) : Stage
{
    public override IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx) => impl(input, ctx);
}
