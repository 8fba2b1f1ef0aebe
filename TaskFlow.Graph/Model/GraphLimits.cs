namespace TaskFlow.Graph.Model;

/// <summary>What one GraphQL request may ask for; checked before anything executes.</summary>
public static class GraphLimits
{
    /// <summary>API.md: queries deeper than 10 levels are rejected.</summary>
    public const int MaxDepth = 10;

    /// <summary>
    /// The complexity budget: each field costs 1 and a list multiplies what is under it by its <c>first</c> (or 5).
    /// A page of 100 tasks with owner, assignee and 20 comments with authors each stays well inside.
    /// </summary>
    public const int MaxComplexity = 50_000;

    /// <summary>Longest query text accepted; real queries are a few hundred characters.</summary>
    public const int MaxQueryLength = 16 * 1024;

    /// <summary>Largest request body (query + variables); the gateway already stops anything over 1 MiB.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary><c>GET /users/batch</c> takes at most this many ids per call.</summary>
    public const int UserBatchSize = 100;
}
