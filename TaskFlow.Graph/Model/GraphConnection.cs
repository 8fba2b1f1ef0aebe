namespace TaskFlow.Graph.Model;

/// <summary>
/// A GraphQL connection <c>{ nodes, pageInfo { hasNextPage endCursor } }</c> over one REST page: the cursor is the
/// REST <c>nextCursor</c> itself, so a client can page with either API.
/// </summary>
public sealed record GraphConnection<T>(IReadOnlyList<T> Nodes, PageInfo PageInfo)
{
    public static GraphConnection<T> From(RestPage<T> page) =>
        new(page.Items, new PageInfo(page.NextCursor is not null, page.NextCursor));
}
