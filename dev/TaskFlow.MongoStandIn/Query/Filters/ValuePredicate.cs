namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>A test on the value(s) found at a path.</summary>
internal abstract class ValuePredicate
{
    /// <summary>Whether elements of a terminal array are tested individually (most operators).</summary>
    public virtual bool ExpandArrays => true;

    public virtual bool MatchesMissingThroughScalarArray => true;

    /// <summary>Tests one value; <c>null</c> means the field is missing.</summary>
    public abstract bool Test(BsonValue? value);

    /// <summary>Tests one value, recording the matched array position where the operator has one ($elemMatch).</summary>
    public virtual bool Test(BsonValue? value, MatchContext ctx) => Test(value);
}
