namespace TaskFlow.MongoStandIn.Aggregation;

internal abstract class Accumulator
{
    public abstract void Add(BsonValue? value);

    public abstract BsonValue? Result();
}
