using TaskFlow.MongoStandIn.Aggregation;
using TaskFlow.MongoStandIn.Aggregation.Expressions;
using TaskFlow.MongoStandIn.Bson;

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
