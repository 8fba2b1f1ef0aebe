namespace TaskFlow.MongoStandIn.Storage;

/// <summary>How a query was answered (for explain and the standInStats command).</summary>
internal sealed class QueryStats
{
    public long DocsExamined { get; set; }

    public long KeysExamined { get; set; }

    public string Stage { get; set; } = "COLLSCAN";

    public string? IndexName { get; set; }
}
