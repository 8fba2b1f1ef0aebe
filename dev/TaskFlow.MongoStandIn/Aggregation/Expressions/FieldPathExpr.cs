namespace TaskFlow.MongoStandIn.Aggregation.Expressions;

/// <summary>A field path (<c>$a.b</c>) or a variable path (<c>$$name.a</c>).</summary>
internal sealed class FieldPathExpr(string? variable, string[] parts) : Expr
{
    public string? Variable => variable;

    public string[] Parts => parts;

    public override BsonValue? Evaluate(ExprContext ctx)
    {
        BsonValue? start;
        switch (variable)
        {
            case null:
            case "CURRENT":
                start = ctx.Current;
                break;
            case "ROOT":
                start = ctx.Root;
                break;
            case "REMOVE":
                return null;
            case "NOW":
                start = new BsonDateTime(DateTime.UtcNow);
                break;
            default:
                if (!ctx.TryGetVar(variable, out start))
                {
                    throw new CommandError(17276, $"Use of undefined variable: {variable}");
                }

                break;
        }

        return start is null ? null : Traverse(start, 0);
    }

    private BsonValue? Traverse(BsonValue v, int i)
    {
        if (i == parts.Length)
        {
            return v;
        }

        switch (v)
        {
            case BsonDocument d:
                return d.TryGetValue(parts[i], out var child) ? Traverse(child, i + 1) : null;
            case BsonArray a:
                {
                    var result = new BsonArray();
                    foreach (var el in a)
                    {
                        if (el is BsonDocument or BsonArray)
                        {
                            var r = Traverse(el, i);
                            if (r is not null)
                            {
                                result.Add(r);
                            }
                        }
                    }

                    return result;
                }

            default:
                return null;
        }
    }
}
