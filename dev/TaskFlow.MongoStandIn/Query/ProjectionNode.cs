namespace TaskFlow.MongoStandIn.Query;

internal sealed class ProjectionNode
{
    public ProjectionKind Kind { get; set; } = ProjectionKind.Inner;

    public List<string> Order { get; } = [];

    public Dictionary<string, ProjectionNode> Children { get; } = new(StringComparer.Ordinal);

    public Expr? Expr { get; set; }

    public int SliceSkip { get; set; }

    public int? SliceLimit { get; set; }

    public CompiledFilter? ElemMatch { get; set; }
}
