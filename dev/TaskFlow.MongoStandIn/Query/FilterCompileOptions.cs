namespace TaskFlow.MongoStandIn.Query;

/// <summary>What the filter compiler needs to know about the collection (text index fields).</summary>
internal sealed record FilterCompileOptions(TextIndexInfo? TextIndex)
{
    public static readonly FilterCompileOptions None = new((TextIndexInfo?)null);
}
