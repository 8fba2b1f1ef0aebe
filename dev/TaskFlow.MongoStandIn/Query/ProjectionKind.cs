namespace TaskFlow.MongoStandIn.Query;

internal enum ProjectionKind
{
    Inner,
    Include,
    Exclude,
    Computed,
    Slice,
    ElemMatch,
    Positional,
}
