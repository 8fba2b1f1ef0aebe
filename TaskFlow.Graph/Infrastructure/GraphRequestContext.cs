namespace TaskFlow.Graph.Infrastructure;

/// <summary>What the resolvers of one GraphQL request share: the caller's REST access and its users DataLoader.</summary>
public sealed class GraphRequestContext : Dictionary<string, object?>
{
    public GraphRequestContext(ServiceApi api)
    {
        Api = api;
        Users = new UserBatchLoader(api);
    }

    public ServiceApi Api { get; }

    public UserBatchLoader Users { get; }
}
