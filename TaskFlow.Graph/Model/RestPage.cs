namespace TaskFlow.Graph.Model;

/// <summary>A keyset-paged REST list: <c>{items, nextCursor}</c>.</summary>
public sealed record RestPage<T>(IReadOnlyList<T> Items, string? NextCursor);
