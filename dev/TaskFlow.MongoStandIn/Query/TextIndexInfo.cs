namespace TaskFlow.MongoStandIn.Query;

/// <summary>The fields (and weights) of a collection's text index.</summary>
internal sealed record TextIndexInfo(IReadOnlyList<(string Path, int Weight)> Fields);
