namespace TaskFlow.MongoStandIn.Aggregation;

internal static class Accumulators
{
    public static readonly string[] Names = ["$sum", "$avg", "$min", "$max", "$first", "$last", "$push", "$addToSet", "$count"];

    public static Accumulator Create(string op) => op switch
    {
        "$sum" => new SumAccumulator(),
        "$avg" => new AvgAccumulator(),
        "$min" => new MinMaxAccumulator(max: false),
        "$max" => new MinMaxAccumulator(max: true),
        "$first" => new FirstAccumulator(),
        "$last" => new LastAccumulator(),
        "$push" => new PushAccumulator(unique: false),
        "$addToSet" => new PushAccumulator(unique: true),
        _ => throw new CommandError(ErrorCodes.UnknownGroupOperator, $"unknown group operator '{op}'"),
    };

    private sealed class SumAccumulator : Accumulator
    {
        private BsonValue _sum = new BsonInt32(0);

        public override void Add(BsonValue? value)
        {
            if (BsonOrder.IsNumber(value) && value is not null)
            {
                _sum = NumberMath.Add(_sum, value);
            }
        }

        public override BsonValue? Result() => _sum;
    }

    private sealed class AvgAccumulator : Accumulator
    {
        private BsonValue _sum = new BsonInt32(0);
        private long _count;

        public override void Add(BsonValue? value)
        {
            if (BsonOrder.IsNumber(value) && value is not null)
            {
                _sum = NumberMath.Add(_sum, value);
                _count++;
            }
        }

        public override BsonValue? Result()
        {
            if (_count == 0)
            {
                return BsonNull.Value;
            }

            if (_sum.BsonType == BsonType.Decimal128)
            {
                return new BsonDecimal128(new Decimal128(NumberMath.ToDecimal(_sum) / _count));
            }

            return new BsonDouble(BsonOrder.ToDouble(_sum) / _count);
        }
    }

    private sealed class MinMaxAccumulator(bool max) : Accumulator
    {
        private BsonValue? _value;

        public override void Add(BsonValue? value)
        {
            if (BsonOrder.IsNullish(value))
            {
                return;
            }

            if (_value is null)
            {
                _value = value;
                return;
            }

            var c = BsonOrder.Compare(value, _value);
            if (max ? c > 0 : c < 0)
            {
                _value = value;
            }
        }

        public override BsonValue? Result() => _value ?? BsonNull.Value;
    }

    private sealed class FirstAccumulator : Accumulator
    {
        private bool _seen;
        private BsonValue? _value;

        public override void Add(BsonValue? value)
        {
            if (!_seen)
            {
                _seen = true;
                _value = value ?? BsonNull.Value;
            }
        }

        public override BsonValue? Result() => _value ?? BsonNull.Value;
    }

    private sealed class LastAccumulator : Accumulator
    {
        private BsonValue? _value;

        public override void Add(BsonValue? value) => _value = value ?? BsonNull.Value;

        public override BsonValue? Result() => _value ?? BsonNull.Value;
    }

    private sealed class PushAccumulator(bool unique) : Accumulator
    {
        private readonly BsonArray _items = [];
        private readonly HashSet<BsonValue?> _seen = new(BsonOrder.EqualityComparer);

        public override void Add(BsonValue? value)
        {
            if (value is null)
            {
                return;
            }

            if (!unique || _seen.Add(value))
            {
                _items.Add(value);
            }
        }

        public override BsonValue? Result() => _items;
    }
}
