namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>A regular-expression match on strings and symbols, or identity with a stored regex.</summary>
internal sealed class RegexPredicate(Regex regex, BsonRegularExpression original) : ValuePredicate
{
    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? v)
    {
        if (v is null)
        {
            return false;
        }

        return v.BsonType switch
        {
            BsonType.String => regex.IsMatch(v.AsString),
            BsonType.Symbol => regex.IsMatch(v.AsBsonSymbol.Name),
            BsonType.RegularExpression => v.AsBsonRegularExpression.Pattern == original.Pattern && v.AsBsonRegularExpression.Options == original.Options,
            _ => false,
        };
    }
}
