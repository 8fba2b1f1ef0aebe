namespace TaskFlow.MongoStandIn.Aggregation;

/// <summary>Per-execution state of a pipeline.</summary>
internal sealed class PipelineContext
{
    public PipelineContext(Func<string, IReadOnlyList<BsonDocument>>? collectionReader)
    {
        CollectionReader = collectionReader;
    }

    /// <summary>Reads a snapshot of another collection of the same database (for $lookup).</summary>
    public Func<string, IReadOnlyList<BsonDocument>>? CollectionReader { get; }

    public Dictionary<BsonDocument, double> TextScores { get; } = new(ReferenceEqualityComparer.Instance);

    public double? ScoreOf(BsonDocument d) => TextScores.TryGetValue(d, out var s) ? s : null;
}
