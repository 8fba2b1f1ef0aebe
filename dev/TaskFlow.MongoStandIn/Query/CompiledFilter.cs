namespace TaskFlow.MongoStandIn.Query;

/// <summary>A compiled query filter and the document it came from.</summary>
internal sealed class CompiledFilter
{
    private readonly FilterNode _root;

    public CompiledFilter(BsonDocument source, FilterNode root)
    {
        Source = source;
        _root = root;
    }

    public BsonDocument Source { get; }

    public bool IsEmpty => Source.ElementCount == 0;

    public bool UsesText => _root.UsesText;

    public bool Matches(BsonDocument doc) => _root.Matches(doc, new MatchContext());

    public bool Matches(BsonDocument doc, MatchContext ctx)
    {
        ctx.Reset();
        return _root.Matches(doc, ctx);
    }
}
