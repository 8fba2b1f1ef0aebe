using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using TaskFlow.ServiceDefaults.Errors;

namespace TaskFlow.Tasks.Model;

public enum TaskSortField
{
    CreatedAt,
    DueDate,
    Priority,
}

/// <summary>One of the six sorts API.md allows; ties are broken by id in the same direction.</summary>
public sealed record TaskSort(string Key, TaskSortField Field, bool Descending)
{
    public static readonly TaskSort Default = new("-createdAt", TaskSortField.CreatedAt, Descending: true);

    public static readonly IReadOnlyDictionary<string, TaskSort> All = new[]
    {
        new TaskSort("createdAt", TaskSortField.CreatedAt, false),
        Default,
        new TaskSort("dueDate", TaskSortField.DueDate, false),
        new TaskSort("-dueDate", TaskSortField.DueDate, true),
        new TaskSort("priority", TaskSortField.Priority, false),
        new TaskSort("-priority", TaskSortField.Priority, true),
    }.ToDictionary(s => s.Key, StringComparer.Ordinal);

    /// <summary>The sort value of a task as a cursor stores it: Unix milliseconds for dates, the rank for priority.</summary>
    public long? ValueOf(TaskItem task) => Field switch
    {
        TaskSortField.CreatedAt => Timestamps.ToUnixMilliseconds(task.CreatedAt),
        TaskSortField.DueDate => task.DueDate is { } due ? Timestamps.ToUnixMilliseconds(due) : null,
        TaskSortField.Priority => (long)task.Priority,
        _ => throw new InvalidOperationException($"Unknown sort field {Field}."),
    };

    /// <summary>Only the due date may be absent; a cursor value must fit its field.</summary>
    public bool Accepts(long? value) => Field switch
    {
        TaskSortField.CreatedAt => value is >= 0 and <= MaxUnixMilliseconds,
        TaskSortField.DueDate => value is null or (>= MinUnixMilliseconds and <= MaxUnixMilliseconds),
        TaskSortField.Priority => value is >= (long)TaskPriority.Low and <= (long)TaskPriority.Urgent,
        _ => false,
    };

    private const long MinUnixMilliseconds = -62_135_596_800_000;
    private const long MaxUnixMilliseconds = 253_402_300_799_999;
}

/// <summary>Limit and cursor, shared by every paged list.</summary>
public sealed record Paging(int Limit, string? Cursor)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static Paging Parse(IQueryCollection query, ValidationErrors errors)
    {
        var limit = DefaultLimit;
        if (QueryValues.Single(query, "limit", errors) is { } text)
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)
                || limit is < 1 or > MaxLimit)
            {
                errors.Add("limit", $"The limit must be an integer from 1 to {MaxLimit}.");
                limit = DefaultLimit;
            }
        }

        return new Paging(limit, QueryValues.Single(query, "cursor", errors));
    }
}

/// <summary>
/// <c>GET /tasks</c> parameters, parsed into typed values. Query keys other than API.md's are ignored, so
/// <c>?status[$ne]=x</c> is simply not a filter; values are never interpreted as query syntax.
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
        DueBefore is { } before ? Timestamps.ToUnixMilliseconds(before).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        DueAfter is { } after ? Timestamps.ToUnixMilliseconds(after).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);

    public static TaskListQuery? Parse(IQueryCollection query, ValidationErrors errors)
    {
        TaskItemStatus? status = null;
        if (QueryValues.Single(query, "status", errors) is { } statusText)
        {
            if (TaskEnumNames.Statuses.TryGetValue(statusText, out var parsed))
            {
                status = parsed;
            }
            else
            {
                errors.Add("status", $"The status must be one of: {TaskEnumNames.StatusList}.");
            }
        }

        TaskPriority? priority = null;
        if (QueryValues.Single(query, "priority", errors) is { } priorityText)
        {
            if (TaskEnumNames.Priorities.TryGetValue(priorityText, out var parsed))
            {
                priority = parsed;
            }
            else
            {
                errors.Add("priority", $"The priority must be one of: {TaskEnumNames.PriorityList}.");
            }
        }

        string? assigneeId = null;
        if (QueryValues.Single(query, "assigneeId", errors) is { } assigneeText)
        {
            if (Guid.TryParse(assigneeText, out var id))
            {
                assigneeId = id.ToString();
            }
            else
            {
                errors.Add("assigneeId", "The assigneeId must be a user id (UUID).");
            }
        }

        string? tag = null;
        if (QueryValues.Single(query, "tag", errors) is { } tagText)
        {
            tag = tagText.Trim();
            if (tag.Length is 0 or > TaskInput.TagMaxLength)
            {
                errors.Add("tag", $"The tag must be 1 to {TaskInput.TagMaxLength} characters.");
            }
        }

        IReadOnlyList<string> terms = [];
        if (QueryValues.Single(query, "q", errors) is { } text)
        {
            if (text.Length > MaxSearchLength)
            {
                errors.Add("q", $"The search text must be at most {MaxSearchLength} characters.");
            }
            else
            {
                terms = SplitTerms(text);
                if (terms.Count > MaxSearchTerms)
                {
                    errors.Add("q", $"The search text may have at most {MaxSearchTerms} words.");
                }
            }
        }

        var dueBefore = ReadDate(query, "dueBefore", errors);
        var dueAfter = ReadDate(query, "dueAfter", errors);

        var sort = TaskSort.Default;
        if (QueryValues.Single(query, "sort", errors) is { } sortText && !TaskSort.All.TryGetValue(sortText, out sort))
        {
            errors.Add("sort", $"The sort must be one of: {string.Join(", ", TaskSort.All.Keys)}.");
            sort = TaskSort.Default;
        }

        var paging = Paging.Parse(query, errors);
        return errors.IsEmpty
            ? new TaskListQuery
            {
                Status = status,
                Priority = priority,
                AssigneeId = assigneeId,
                Tag = tag,
                SearchTerms = terms,
                DueBefore = dueBefore,
                DueAfter = dueAfter,
                Sort = sort,
                Paging = paging,
            }
            : null;
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

    private static DateTime? ReadDate(IQueryCollection query, string name, ValidationErrors errors)
    {
        if (QueryValues.Single(query, name, errors) is not { } text)
        {
            return null;
        }

        if (IsoDates.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(name, $"The {name} must be an ISO 8601 date or date-time.");
        return null;
    }
}

internal static class QueryValues
{
    /// <summary>The parameter's value, null when absent or empty; repeating a parameter is an error.</summary>
    public static string? Single(IQueryCollection query, string name, ValidationErrors errors)
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
