namespace TaskFlow.MongoStandIn.Query.Filters;

/// <summary>$text: matches when the text query scores the document, recording the score.</summary>
internal sealed class TextNode(TextIndexInfo index, TextQuery query) : FilterNode
{
    public override bool UsesText => true;

    public override bool Matches(BsonDocument doc, MatchContext ctx)
    {
        var score = query.Score(doc, index);
        if (score is null)
        {
            return false;
        }

        ctx.TextScore = score.Value;
        return true;
    }
}
