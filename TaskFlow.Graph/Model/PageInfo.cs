namespace TaskFlow.Graph.Model;

/// <summary>Whether another page follows, and the cursor to ask for it.</summary>
public sealed record PageInfo(bool HasNextPage, string? EndCursor);
