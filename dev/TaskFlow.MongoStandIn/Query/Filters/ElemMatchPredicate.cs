namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$elemMatch, in its value form or its document form.</summary>
internal sealed class ElemMatchPredicate(FilterNode inner, bool valueForm) : ValuePredicate
{
    public override bool ExpandArrays => false;

    public override bool MatchesMissingThroughScalarArray => false;

    public override bool Test(BsonValue? value) => IndexOfMatch(value) >= 0;

    public override bool Test(BsonValue? value, MatchContext ctx)
    {
        var index = IndexOfMatch(value);
        if (index < 0)
        {
            return false;
        }

        ctx.ArrayPosition = index;
        return true;
    }

    private int IndexOfMatch(BsonValue? value)
    {
        if (value is not BsonArray a)
        {
            return -1;
        }

        var ctx = new MatchContext();
        for (var i = 0; i < a.Count; i++)
        {
            var el = a[i];
            if (valueForm)
            {
                if (inner.Matches(new BsonDocument("x", el), ctx))
                {
                    return i;
                }
            }
            else if (el is BsonDocument d && inner.Matches(d, ctx))
            {
                return i;
            }
        }

        return -1;
    }
}
