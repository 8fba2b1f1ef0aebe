namespace TaskFlow.Tasks.Apis.Requests;

/// <summary>
/// Reads the query strings of the list routes into typed values. Keys other than API.md's are ignored, so
/// <c>?status[$ne]=x</c> is simply not a filter; values are never interpreted as query syntax.
/// </summary>
public static class TaskQueryParameters
{
    /// <summary>
    /// <c>limit</c> (1 to <see cref="Paging.MaxLimit"/>, default <see cref="Paging.DefaultLimit"/>) and <c>cursor</c>, as every
    /// paged list takes them.
    /// </summary>
    public static Paging ReadPaging(IQueryCollection query, ValidationErrors errors)
    {
        var limit = Paging.DefaultLimit;
        if (Single(query, "limit", errors) is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > Paging.MaxLimit)
            {
                errors.Add("limit", $"The limit must be an integer from 1 to {Paging.MaxLimit}.");
                limit = Paging.DefaultLimit;
            }
        }

        return new Paging(limit, Single(query, "cursor", errors));
    }

    /// <summary><c>GET /tasks</c>: filters, sort, limit and cursor.</summary>
    public static TaskListQuery? ReadTaskList(IQueryCollection query, ValidationErrors errors)
    {
        // Parameters are read in this order, so their errors are reported in it.
        var parsed = new TaskListQuery
        {
            Status = ReadName(query, "status", TaskEnumNames.Statuses, errors),
            Priority = ReadName(query, "priority", TaskEnumNames.Priorities, errors),
            AssigneeId = Single(query, "assigneeId", errors) is { } assignee ? ApiValues.UserId("assigneeId", assignee, errors) : null,
            Tag = ReadTag(query, errors),
            SearchTerms = ReadSearch(query, errors),
            DueBefore = ReadDate(query, "dueBefore", errors),
            DueAfter = ReadDate(query, "dueAfter", errors),
            Sort = ReadSort(query, errors),
            Paging = ReadPaging(query, errors),
        };
        return errors.IsEmpty ? parsed : null;
    }

    /// <summary>
    /// Words separated by white space; double quotes are dropped because a search word is matched literally and
    /// never as search syntax (no phrases, no negation, no operators).
    /// </summary>
    public static IReadOnlyList<string> SplitTerms(string text) =>
        text.Replace("\"", " ", StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();

    private static string? ReadTag(IQueryCollection query, ValidationErrors errors)
    {
        var tag = Single(query, "tag", errors)?.Trim();
        if (tag is not null && !ApiValues.IsTag(tag))
        {
            errors.Add("tag", $"The tag must be 1 to {TaskInput.TagMaxLength} characters.");
        }

        return tag;
    }

    private static IReadOnlyList<string> ReadSearch(IQueryCollection query, ValidationErrors errors)
    {
        if (Single(query, "q", errors) is not { } text)
        {
            return [];
        }

        if (text.Length > TaskListQuery.MaxSearchLength)
        {
            errors.Add("q", $"The search text must be at most {TaskListQuery.MaxSearchLength} characters.");
            return [];
        }

        var terms = SplitTerms(text);
        if (terms.Count > TaskListQuery.MaxSearchTerms)
        {
            errors.Add("q", $"The search text may have at most {TaskListQuery.MaxSearchTerms} words.");
        }

        return terms;
    }

    private static DateTime? ReadDate(IQueryCollection query, string name, ValidationErrors errors) =>
        Single(query, name, errors) is { } text ? ApiValues.Date(name, IsoDates.TryParse(text, out var date), date, errors) : null;

    private static TaskSort ReadSort(IQueryCollection query, ValidationErrors errors) =>
        Single(query, "sort", errors) is { } text && ApiValues.TryName("sort", text, TaskSort.All, errors, out var sort) ? sort : TaskSort.Default;

    private static T? ReadName<T>(IQueryCollection query, string name, IReadOnlyDictionary<string, T> names, ValidationErrors errors)
        where T : struct =>
        Single(query, name, errors) is { } text && ApiValues.TryName(name, text, names, errors, out var value) ? value : null;

    /// <summary>The parameter's value, null when absent or empty; repeating a parameter is an error.</summary>
    private static string? Single(IQueryCollection query, string name, ValidationErrors errors)
    {
        if (!query.TryGetValue(name, out StringValues values) || StringValues.IsNullOrEmpty(values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            errors.Add(name, $"Give {name} at most once.");
            return null;
        }

        var value = values[0];
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
