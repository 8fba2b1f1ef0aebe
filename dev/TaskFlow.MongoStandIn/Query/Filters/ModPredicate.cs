namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$mod.</summary>
internal sealed class ModPredicate(long divisor, long remainder) : ValuePredicate
{
    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value)
    {
        if (!BsonOrder.IsNumber(value) || value is null)
        {
            return false;
        }

        var d = BsonOrder.ToDouble(value);
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return false;
        }

        return (long)d % divisor == remainder;
    }
}
