namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// What the resolvers of one GraphQL request share: the caller's REST access, its DataLoaders (users, comments) and
/// the rate-limit permits the gateway granted its mutation fields.
/// </summary>
public sealed class GraphRequestContext : Dictionary<string, object?>
{
    public GraphRequestContext(ServiceApi api, MutationPermits permits)
    {
        Api = api;
        Permits = permits;
        Users = new UserBatchLoader(api);
        Comments = new CommentBatchLoader(api);
    }

    public ServiceApi Api { get; }

    public MutationPermits Permits { get; }

    public UserBatchLoader Users { get; }

    public CommentBatchLoader Comments { get; }
}
