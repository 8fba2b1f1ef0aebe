namespace TaskFlow.MongoStandIn.Query.Filters;

internal sealed class PathNode(string[] parts, ValuePredicate predicate) : FilterNode
{
    public override bool Matches(BsonDocument doc, MatchContext ctx) => Match(doc, 0, ctx);

    private bool Match(BsonValue current, int i, MatchContext ctx)
    {
        if (i == parts.Length)
        {
            if (predicate.Test(current, ctx))
            {
                return true;
            }

            if (predicate.ExpandArrays && current is BsonArray leaf)
            {
                for (var k = 0; k < leaf.Count; k++)
                {
                    if (predicate.Test(leaf[k]))
                    {
                        ctx.ArrayPosition = k;
                        return true;
                    }
                }
            }

            return false;
        }

        switch (current)
        {
            case BsonDocument d:
                return d.TryGetValue(parts[i], out var child) ? Match(child, i + 1, ctx) : predicate.Test(null);
            case BsonArray a:
                {
                    if (Paths.TryIndex(parts[i], out var idx))
                    {
                        if (idx < a.Count && Match(a[idx], i + 1, ctx))
                        {
                            return true;
                        }
                    }

                    var anyDoc = false;
                    for (var k = 0; k < a.Count; k++)
                    {
                        if (a[k] is BsonDocument)
                        {
                            anyDoc = true;
                            if (Match(a[k], i, ctx))
                            {
                                ctx.ArrayPosition = k;
                                return true;
                            }
                        }
                    }

                    // an array of scalars has no such field: treat as missing for null/$exists semantics
                    return !anyDoc && idx < 0 && predicate.MatchesMissingThroughScalarArray && predicate.Test(null);
                }

            default:
                return predicate.Test(null);
        }
    }
}
