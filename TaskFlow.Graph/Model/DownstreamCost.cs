namespace TaskFlow.Graph.Model;

/// <summary>
/// How many REST calls a field's resolver makes, as metadata beside the resolver (<see cref="DownstreamCostExtensions"/>),
/// read by the request budget before execution. A field without it makes none.
/// </summary>
/// <param name="BatchSize">1: one call per parent object; n: one call per n parent objects (a DataLoader's batch).</param>
/// <param name="PagedBy">The argument whose value (default 20, at most 100) multiplies what is under the field, or null.</param>
/// <param name="UnbatchedWith">An argument that, when given, makes the field one call per parent object again.</param>
public sealed record DownstreamCost(int BatchSize, string? PagedBy = null, string? UnbatchedWith = null)
{
    public const string MetadataKey = "taskflow:downstreamCost";

    /// <summary>The calls for <paramref name="parents"/> parent objects, rounded up per batch (an upper bound).</summary>
    public double CallsFor(double parents, bool unbatched) =>
        BatchSize <= 1 || unbatched ? parents : Math.Ceiling(parents / BatchSize);
}
