using GraphQL.Builders;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>Declares, next to a resolver, the REST calls it makes (read by <see cref="RequestBudgetRule"/>).</summary>
public static class DownstreamCostExtensions
{
    /// <summary>One REST call per object the field is asked on.</summary>
    public static FieldBuilder<TSource, TReturn> CallsOnce<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string? pagedBy = null) =>
        field.WithMetadata(DownstreamCost.MetadataKey, new DownstreamCost(1, pagedBy));

    /// <summary>One REST call per <paramref name="batchSize"/> objects (a DataLoader); unbatched when <paramref name="unbatchedWith"/> is given.</summary>
    public static FieldBuilder<TSource, TReturn> CallsPerBatch<TSource, TReturn>(
        this FieldBuilder<TSource, TReturn> field, int batchSize, string? pagedBy = null, string? unbatchedWith = null) =>
        field.WithMetadata(DownstreamCost.MetadataKey, new DownstreamCost(batchSize, pagedBy, unbatchedWith));
}
