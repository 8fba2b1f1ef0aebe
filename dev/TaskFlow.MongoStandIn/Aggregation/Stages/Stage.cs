namespace TaskFlow.MongoStandIn.Aggregation.Stages;

/// <summary>One aggregation stage: a transformation of the document stream.</summary>
internal abstract class Stage
{
    public abstract IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx);
}
