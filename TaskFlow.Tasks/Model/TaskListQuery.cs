namespace TaskFlow.Tasks.Model;

/// <summary>
/// <c>GET /tasks</c> as typed values: filters, sort and paging. The request's query string is read into it by
/// <c>Apis/Requests/TaskQueryParameters</c>; values are never interpreted as query syntax.
/// </summary>
public sealed record TaskListQuery
{
    public const int MaxSearchLength = 200;
    public const int MaxSearchTerms = 10;

    public TaskItemStatus? Status { get; init; }

    public TaskPriority? Priority { get; init; }

    public string? AssigneeId { get; init; }

    public string? Tag { get; init; }

    /// <summary>Words of <c>q</c>, each to be found literally (case-insensitively) in the title or description.</summary>
    public IReadOnlyList<string> SearchTerms { get; init; } = [];

    public DateTime? DueBefore { get; init; }

    public DateTime? DueAfter { get; init; }

    public TaskSort Sort { get; init; } = TaskSort.Default;

    public required Paging Paging { get; init; }

    /// <summary>Everything but limit and cursor: a cursor is valid only for the query that issued it.</summary>
    public string Fingerprint => PageCursor.FingerprintOf(
        Sort.Key,
        Status?.ToApiName(),
        Priority?.ToApiName(),
        AssigneeId,
        Tag,
        string.Join(' ', SearchTerms),
        DueBefore is { } before ? Timestamps.ToUnixMilliseconds(before).ToString(CultureInfo.InvariantCulture) : null,
        DueAfter is { } after ? Timestamps.ToUnixMilliseconds(after).ToString(CultureInfo.InvariantCulture) : null);
}
