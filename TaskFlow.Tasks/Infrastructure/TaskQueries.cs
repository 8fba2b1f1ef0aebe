namespace TaskFlow.Tasks.Infrastructure;

/// <summary>
/// Turns a parsed <see cref="TaskListQuery"/> into MongoDB filters and sorts with the typed builders: every user value
/// is a typed constant (enum rank, UUID, date, literal search word), so nothing a client sends can become an operator.
/// </summary>
public static class TaskQueries
{
    private static readonly FilterDefinitionBuilder<TaskDocument> Filter = Builders<TaskDocument>.Filter;

    public static FilterDefinition<TaskDocument> Live => Filter.Exists(d => d.DeletedAt, false);

    public static FilterDefinition<TaskDocument> ById(string id) => Filter.And(Filter.Eq(d => d.Id, id), Live);

    public static FilterDefinition<TaskDocument> Visible(ListScope scope) => scope.UserId is { } userId
        ? Filter.AnyEq(d => d.Participants, userId)
        : Filter.Empty;

    public static FilterDefinition<TaskDocument> ForList(ListScope scope, TaskListQuery query, PageCursor? after)
    {
        var parts = new List<FilterDefinition<TaskDocument>> { Visible(scope), Live };
        if (query.Status is { } status)
        {
            parts.Add(Filter.Eq(d => d.Status, status.ToApiName()));
        }

        if (query.Priority is { } priority)
        {
            parts.Add(Filter.Eq(d => d.Priority, (int)priority));
        }

        if (query.AssigneeId is { } assigneeId)
        {
            parts.Add(Filter.Eq(d => d.AssigneeId, assigneeId));
        }

        if (query.Tag is { } tag)
        {
            parts.Add(Filter.AnyEq(d => d.Tags, tag));
        }

        if (query.DueBefore is { } before)
        {
            parts.Add(Filter.Lt(d => d.DueDate, before));
        }

        if (query.DueAfter is { } after2)
        {
            parts.Add(Filter.Gt(d => d.DueDate, after2));
        }

        if (query.SearchTerms.Count > 0)
        {
            parts.Add(Filter.Text(TextSearch(query.SearchTerms), new TextSearchOptions { Language = TaskIndexes.TextLanguage }));
        }

        if (after is not null)
        {
            parts.Add(After(query.Sort, after));
        }

        return Filter.And(parts);
    }

    /// <summary>
    /// Every word becomes a quoted phrase: MongoDB then requires all of them and reads each literally, so
    /// <c>-x</c> is not a negation and <c>$where</c> is just text. Quotes and backslashes never reach the search
    /// string (they are dropped when words are split), so a word cannot close its own quotes.
    /// </summary>
    public static string TextSearch(IEnumerable<string> terms) =>
        string.Join(' ', terms
            .Select(t => t.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("\\", string.Empty, StringComparison.Ordinal))
            .Where(t => t.Length > 0)
            .Select(t => $"\"{t}\""));

    public static SortDefinition<TaskDocument> SortFor(TaskSort sort)
    {
        var builder = Builders<TaskDocument>.Sort;
        return sort.Field switch
        {
            TaskSortField.CreatedAt => Direction(builder, d => d.CreatedAt, sort.Descending),
            TaskSortField.DueDate => Direction(builder, d => d.DueDate, sort.Descending),
            TaskSortField.Priority => Direction(builder, d => d.Priority, sort.Descending),
            _ => throw new InvalidOperationException($"Unknown sort {sort.Key}."),
        };
    }

    private static SortDefinition<TaskDocument> Direction<T>(SortDefinitionBuilder<TaskDocument> builder, Expression<Func<TaskDocument, T>> field, bool descending) =>
        descending
            ? builder.Combine(builder.Descending(Convert(field)), builder.Descending(d => d.Id))
            : builder.Combine(builder.Ascending(Convert(field)), builder.Ascending(d => d.Id));

    private static Expression<Func<TaskDocument, object?>> Convert<T>(Expression<Func<TaskDocument, T>> field) =>
        Expression.Lambda<Func<TaskDocument, object?>>(Expression.Convert(field.Body, typeof(object)), field.Parameters);

    /// <summary>
    /// Strictly after the cursor in (sort value, id) order. MongoDB orders null before any date, so for the
    /// nullable due date the null group comes first ascending and last descending, and the keyset says so.
    /// </summary>
    public static FilterDefinition<TaskDocument> After(TaskSort sort, PageCursor cursor) => sort.Field switch
    {
        TaskSortField.CreatedAt => KeysetAfter(d => d.CreatedAt, Timestamps.FromUnixMilliseconds(cursor.Value ?? 0), cursor.Id, sort.Descending),
        TaskSortField.Priority => KeysetAfter(d => d.Priority, (int)(cursor.Value ?? 0), cursor.Id, sort.Descending),
        TaskSortField.DueDate => DueDateAfter(cursor, sort.Descending),
        _ => throw new InvalidOperationException($"Unknown sort {sort.Key}."),
    };

    private static FilterDefinition<TaskDocument> KeysetAfter<T>(Expression<Func<TaskDocument, T>> field, T value, string id, bool descending) =>
        descending
            ? Filter.Or(Filter.Lt(field, value), Filter.And(Filter.Eq(field, value), Filter.Lt(d => d.Id, id)))
            : Filter.Or(Filter.Gt(field, value), Filter.And(Filter.Eq(field, value), Filter.Gt(d => d.Id, id)));

    private static FilterDefinition<TaskDocument> DueDateAfter(PageCursor cursor, bool descending)
    {
        var isNull = Filter.Eq(d => d.DueDate, null);
        if (cursor.Value is not { } milliseconds)
        {
            return descending
                ? Filter.And(isNull, Filter.Lt(d => d.Id, cursor.Id))
                : Filter.Or(Filter.And(isNull, Filter.Gt(d => d.Id, cursor.Id)), Filter.Ne(d => d.DueDate, null));
        }

        DateTime? due = Timestamps.FromUnixMilliseconds(milliseconds);
        var keyset = KeysetAfter(d => d.DueDate, due, cursor.Id, descending);
        return descending ? Filter.Or(keyset, isNull) : keyset;
    }
}
