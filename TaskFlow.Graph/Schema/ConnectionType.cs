namespace TaskFlow.Graph.Schema;

public abstract class ConnectionType<TNodeType, TNode> : ObjectGraphType<GraphConnection<TNode>>
    where TNodeType : IGraphType
{
    protected ConnectionType(string name)
    {
        Name = name;
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes").Resolve(c => c.Source.Nodes);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => c.Source.PageInfo);
    }
}
