namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$gt, $gte, $lt, $lte: compares only within the operand's type bracket.</summary>
internal sealed class ComparePredicate(string op, BsonValue value) : ValuePredicate
{
    private readonly int _rank = BsonOrder.Rank(value);

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? v)
    {
        if (BsonOrder.IsNullish(value))
        {
            return op is "$gte" or "$lte" && BsonOrder.IsNullish(v);
        }

        if (v is null)
        {
            return false;
        }

        int c;
        if (_rank is BsonOrder.RankMinKey or BsonOrder.RankMaxKey)
        {
            c = BsonOrder.Compare(v, value);
        }
        else
        {
            if (BsonOrder.Rank(v) != _rank)
            {
                return false;
            }

            c = BsonOrder.Compare(v, value);
        }

        return op switch
        {
            "$gt" => c > 0,
            "$gte" => c >= 0,
            "$lt" => c < 0,
            _ => c <= 0,
        };
    }
}
