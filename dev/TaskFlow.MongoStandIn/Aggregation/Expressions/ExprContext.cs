namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>Evaluation scope of an aggregation expression.</summary>
internal sealed class ExprContext
{
    private readonly Dictionary<string, BsonValue?>? _vars;

    public ExprContext(BsonDocument root)
    {
        Root = root;
        Current = root;
    }

    private ExprContext(BsonDocument root, BsonValue current, Dictionary<string, BsonValue?> vars)
    {
        Root = root;
        Current = current;
        _vars = vars;
    }

    public BsonDocument Root { get; }

    public BsonValue Current { get; }

    public double? TextScore { get; init; }

    public ExprContext With(string name, BsonValue? value)
    {
        var vars = _vars is null ? new Dictionary<string, BsonValue?>(StringComparer.Ordinal) : new Dictionary<string, BsonValue?>(_vars, StringComparer.Ordinal);
        vars[name] = value;
        return new ExprContext(Root, Current, vars) { TextScore = TextScore };
    }

    public bool TryGetVar(string name, out BsonValue? value)
    {
        value = null;
        return _vars is not null && _vars.TryGetValue(name, out value);
    }
}
