namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>Equality; a null/undefined operand also matches a missing field.</summary>
internal sealed class EqPredicate(BsonValue value) : ValuePredicate
{
    private readonly bool _nullish = BsonOrder.IsNullish(value);

    public BsonValue Value => value;

    public override bool Test(BsonValue? v) => _nullish ? BsonOrder.IsNullish(v) : v is not null && BsonOrder.Compare(v, value) == 0;
}
