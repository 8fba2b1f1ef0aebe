namespace TaskFlow.MongoStandIn.Aggregation;

/// <summary>A compiled aggregation pipeline: its stages run one after the other over the input documents.</summary>
internal sealed class CompiledPipeline(List<Stage> stages, CompiledFilter? leadingMatch)
{
    /// <summary>The filter of a leading $match stage, which the collection scan/index lookup answers.</summary>
    public CompiledFilter? LeadingMatch => leadingMatch;

    public IEnumerable<BsonDocument> Execute(IEnumerable<BsonDocument> input, PipelineContext ctx)
    {
        var current = input;
        foreach (var s in stages)
        {
            current = s.Execute(current, ctx);
        }

        return current;
    }
}
