namespace TaskFlow.MongoStandIn.Update;

/// <summary>The three forms an update takes.</summary>
internal enum UpdateKind
{
    Replacement,
    Operators,
    Pipeline,
}
