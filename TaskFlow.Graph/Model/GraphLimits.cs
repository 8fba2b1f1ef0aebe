namespace TaskFlow.Graph.Model;

/// <summary>What one GraphQL request may ask for; checked before anything executes (API.md "GraphQL").</summary>
public static class GraphLimits
{
    /// <summary>Queries deeper than 10 levels are rejected; introspection fields (<c>__schema</c>, <c>__type</c>) and what is under them do not count.</summary>
    public const int MaxDepth = 10;

    /// <summary>
    /// At most this many REST calls one request could make: every alias counted, a list at its <c>first</c>, nested
    /// lists multiplied, a batched field (users, comments) once per batch (see <see cref="DownstreamCost"/>).
    /// </summary>
    public const int MaxDownstreamCalls = 1_000;

    /// <summary>At most this many mutation fields (aliases included) in one request.</summary>
    public const int MaxMutationFields = 10;

    /// <summary>
    /// The size budget: each field costs 1 and a list multiplies what is under it by its <c>first</c> (or 5). It bounds
    /// the answer's size, introspection included (which makes no downstream call but can multiply itself).
    /// A page of 100 tasks with owner, assignee and 20 comments with authors each stays well inside.
    /// </summary>
    public const int MaxComplexity = 50_000;

    /// <summary>Longest query text accepted; real queries are a few hundred characters.</summary>
    public const int MaxQueryLength = 16 * 1024;

    /// <summary>Largest request body (query + variables); the gateway already stops anything over 1 MiB.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary><c>GET /users/batch</c> takes at most this many ids per call.</summary>
    public const int UserBatchSize = 100;

    /// <summary><c>GET /tasks/comments/batch</c> takes at most this many task ids per call.</summary>
    public const int CommentBatchSize = 100;

    /// <summary>The REST page size when <c>first</c> is not given, and the largest one.</summary>
    public const int DefaultPageSize = 20;

    public const int MaxPageSize = 100;

    /// <summary>
    /// REST calls of one request in flight at once: a request within the budget queues its calls instead of opening a
    /// thousand connections at once (which the services, and the HTTP client's own concurrency limit, would refuse).
    /// </summary>
    public const int MaxConcurrentDownstreamCalls = 8;
}
