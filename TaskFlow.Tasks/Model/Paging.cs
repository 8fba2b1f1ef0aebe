namespace TaskFlow.Tasks.Model;

/// <summary>Limit and cursor, shared by every paged list.</summary>
public sealed record Paging(int Limit, string? Cursor)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}
