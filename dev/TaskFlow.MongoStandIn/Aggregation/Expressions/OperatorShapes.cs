namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>The argument shapes operators share: fixed arity, unary, binary, named arguments.</summary>
internal static class OperatorShapes
{
    public static List<Expr> Args(BsonValue arg) => arg is BsonArray a ? a.Select(ExpressionCompiler.Compile).ToList() : [ExpressionCompiler.Compile(arg)];

    public static OperatorCompiler Simple(int? arity, Func<ExprContext, List<Expr>, BsonValue?> impl) => (name, arg) =>
    {
        var args = Args(arg);
        if (arity is not null && args.Count != arity)
        {
            throw new CommandError(16020, $"Expression {name} takes exactly {arity} arguments. {args.Count} were passed in.");
        }

        return new OperatorExpr(name, args, impl);
    };

    public static OperatorCompiler Unary(Func<BsonValue?, BsonValue?> impl) => Simple(1, (ctx, a) => impl(a[0].Evaluate(ctx)));

    public static OperatorCompiler Binary(Func<BsonValue?, BsonValue?, BsonValue?> impl) =>
        Simple(2, (ctx, a) => impl(a[0].Evaluate(ctx), a[1].Evaluate(ctx)));

    public static BsonDocument NamedArgs(string name, BsonValue arg, params string[] allowed)
    {
        if (arg is not BsonDocument d)
        {
            throw new CommandError(ErrorCodes.FailedToParse, $"{name} only supports an object as its argument");
        }

        foreach (var n in d.Names)
        {
            if (!allowed.Contains(n))
            {
                throw new CommandError(ErrorCodes.FailedToParse, $"Unrecognized parameter to {name}: {n}");
            }
        }

        return d;
    }

    public static bool IsNullish(BsonValue? v) => BsonOrder.IsNullish(v);
}
