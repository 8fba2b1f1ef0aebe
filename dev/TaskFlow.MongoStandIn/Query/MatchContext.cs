namespace TaskFlow.MongoStandIn.Query;

/// <summary>State gathered while matching one document.</summary>
internal sealed class MatchContext
{
    /// <summary>Index of the array element that satisfied the query (for the positional <c>$</c> operator).</summary>
    public int? ArrayPosition { get; set; }

    public double TextScore { get; set; }

    public void Reset()
    {
        ArrayPosition = null;
        TextScore = 0;
    }
}
