namespace TaskFlow.MongoStandIn.Commands.Crud;

/// <summary>Arguments several CRUD commands parse alike: batch sizes and statement arrays.</summary>
internal static class CrudArguments
{
    public static int? BatchSize(CommandContext ctx, BsonValue? value, string field)
    {
        if (value is null || value.IsBsonNull)
        {
            return null;
        }

        if (!BsonOrder.IsNumber(value))
        {
            throw new CommandError(ErrorCodes.TypeMismatch, $"BSON field '{field}' is the wrong type '{BsonText.TypeName(value)}', expected types '[long, int, decimal, double']");
        }

        var n = (long)BsonOrder.ToDouble(value);
        if (n < 0)
        {
            throw new CommandError(51024, $"BSON field '{field}' value must be >= 0, actual value '{n}'");
        }

        return (int)Math.Min(n, int.MaxValue);
    }

    public static BsonArray Statements(CommandContext ctx, string field)
    {
        if (ctx.Command.GetValue(field, BsonNull.Value) is not BsonArray arr)
        {
            throw new CommandError(40414, $"BSON field '{ctx.Name}.{field}' is missing but a required field");
        }

        if (arr.Count == 0 || arr.Count > 100000)
        {
            throw new CommandError(16, $"Write batch sizes must be between 1 and 100000. Got {arr.Count} operations.");
        }

        return arr;
    }
}
