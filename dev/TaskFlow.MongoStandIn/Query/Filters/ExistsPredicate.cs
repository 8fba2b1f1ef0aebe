namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$exists.</summary>
internal sealed class ExistsPredicate : ValuePredicate
{
    public static readonly ExistsPredicate Instance = new();

    public override bool ExpandArrays => false;

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => value is not null;
}
