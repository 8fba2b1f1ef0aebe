namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$size.</summary>
internal sealed class SizePredicate(int size) : ValuePredicate
{
    public override bool ExpandArrays => false;

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => value is BsonArray a && a.Count == size;
}
