namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Compiles aggregation expressions; each operator family lives in its own class.</summary>
internal static class ExpressionCompiler
{
    private static readonly Dictionary<string, OperatorCompiler> Operators = BuildOperators();

    public static Expr Compile(BsonValue value)
    {
        switch (value)
        {
            case BsonString s when s.Value.StartsWith("$$", StringComparison.Ordinal):
                {
                    var body = s.Value[2..];
                    var dot = body.IndexOf('.', StringComparison.Ordinal);
                    var variable = dot < 0 ? body : body[..dot];
                    var parts = dot < 0 ? [] : body[(dot + 1)..].Split('.');
                    if (variable.Length == 0)
                    {
                        throw new CommandError(16869, "empty variable name");
                    }

                    return new FieldPathExpr(variable, parts);
                }

            case BsonString s when s.Value.StartsWith('$'):
                {
                    var path = s.Value[1..];
                    if (path.Length == 0)
                    {
                        throw new CommandError(16872, "'$' by itself is not a valid FieldPath");
                    }

                    return new FieldPathExpr(null, path.Split('.'));
                }

            case BsonDocument d:
                {
                    if (d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'))
                    {
                        if (d.ElementCount != 1)
                        {
                            throw new CommandError(15983, $"An object representing an expression must have exactly one field: {d.ToJson()}");
                        }

                        var op = d.GetElement(0);
                        if (!Operators.TryGetValue(op.Name, out var compiler))
                        {
                            throw new CommandError(ErrorCodes.InvalidPipelineOperator, $"Unrecognized expression '{op.Name}'");
                        }

                        return compiler(op.Name, op.Value);
                    }

                    var fields = new List<(string, Expr)>();
                    foreach (var e in d)
                    {
                        if (e.Name.StartsWith('$'))
                        {
                            throw new CommandError(16410, $"FieldPath field names may not start with '$'. Consider using $getField or $setField.");
                        }

                        fields.Add((e.Name, Compile(e.Value)));
                    }

                    return new ObjectExpr(fields);
                }

            case BsonArray a:
                return new ArrayExpr(a.Select(Compile).ToList());
            default:
                return new LiteralExpr(value);
        }
    }

    private static Dictionary<string, OperatorCompiler> BuildOperators()
    {
        var ops = new Dictionary<string, OperatorCompiler>(StringComparer.Ordinal);
        foreach (var family in new[]
        {
            VariableOperators.All(), ArithmeticOperators.All(), LogicalOperators.All(), StringOperators.All(), ArrayOperators.All(),
            TypeOperators.All(), ObjectOperators.All(), AccumulatorOperators.All(), DateOperators.All(),
        })
        {
            foreach (var (name, compiler) in family)
            {
                ops.Add(name, compiler);
            }
        }

        return ops;
    }
}
