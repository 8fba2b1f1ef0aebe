using System.Text.Json;
using TaskFlow.ServiceDefaults.Errors;

namespace TaskFlow.Tasks.Model;

/// <summary>
/// The editable fields of a task (API.md <c>TaskInput</c>), already validated and normalized: title trimmed,
/// defaults applied, tags trimmed and distinct, dates in UTC milliseconds, assignee id in canonical UUID form.
/// Whether the assignee exists is checked against the Users service afterwards, outside this pure type.
/// </summary>
public sealed record TaskInput
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 10_000;
    public const int MaxTags = 20;
    public const int TagMaxLength = 50;

    public required string Title { get; init; }

    public string? Description { get; init; }

    public TaskItemStatus Status { get; init; } = TaskItemStatus.Todo;

    public TaskPriority Priority { get; init; } = TaskPriority.Medium;

    public DateTime? DueDate { get; init; }

    public string? AssigneeId { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// Reads a request body. Every field is type-checked on its own, so <c>{"title": {"$gt": ""}}</c> is a
    /// validation error on <c>title</c>, never a value that could reach a query. Unknown fields are ignored.
    /// </summary>
    public static TaskInput? Parse(JsonElement body, ValidationErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "The request body must be a JSON object.");
            return null;
        }

        var title = ReadTitle(body, errors);
        var description = ReadDescription(body, errors);
        var status = ReadEnum(body, "status", TaskEnumNames.Statuses, TaskItemStatus.Todo, TaskEnumNames.StatusList, errors);
        var priority = ReadEnum(body, "priority", TaskEnumNames.Priorities, TaskPriority.Medium, TaskEnumNames.PriorityList, errors);
        var dueDate = ReadDueDate(body, errors);
        var assigneeId = ReadAssigneeId(body, errors);
        var tags = ReadTags(body, errors);

        if (!errors.IsEmpty || title is null)
        {
            return null;
        }

        return new TaskInput
        {
            Title = title,
            Description = description,
            Status = status,
            Priority = priority,
            DueDate = dueDate,
            AssigneeId = assigneeId,
            Tags = tags,
        };
    }

    private static bool TryGet(JsonElement body, string name, out JsonElement value) =>
        body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string? ReadTitle(JsonElement body, ValidationErrors errors)
    {
        if (!TryGet(body, "title", out var value))
        {
            errors.Add("title", "The title is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add("title", "The title must be a string.");
            return null;
        }

        var title = (value.GetString() ?? string.Empty).Trim();
        if (title.Length is 0 or > TitleMaxLength)
        {
            errors.Add("title", $"The title must be 1 to {TitleMaxLength} characters.");
            return null;
        }

        return title;
    }

    private static string? ReadDescription(JsonElement body, ValidationErrors errors)
    {
        if (!TryGet(body, "description", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add("description", "The description must be a string.");
            return null;
        }

        var description = value.GetString() ?? string.Empty;
        if (description.Length > DescriptionMaxLength)
        {
            errors.Add("description", $"The description must be at most {DescriptionMaxLength} characters.");
            return null;
        }

        return description;
    }

    private static T ReadEnum<T>(JsonElement body, string name, IReadOnlyDictionary<string, T> names, T fallback, string allowed, ValidationErrors errors)
    {
        if (!TryGet(body, name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.String && names.TryGetValue(value.GetString() ?? string.Empty, out var parsed))
        {
            return parsed;
        }

        errors.Add(name, $"The {name} must be one of: {allowed}.");
        return fallback;
    }

    private static DateTime? ReadDueDate(JsonElement body, ValidationErrors errors)
    {
        if (!TryGet(body, "dueDate", out var value))
        {
            return null;
        }

        if (IsoDates.TryParse(value, out var dueDate))
        {
            return dueDate;
        }

        errors.Add("dueDate", "The dueDate must be an ISO 8601 date or date-time.");
        return null;
    }

    private static string? ReadAssigneeId(JsonElement body, ValidationErrors errors)
    {
        if (!TryGet(body, "assigneeId", out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id))
        {
            return id.ToString();
        }

        errors.Add("assigneeId", "The assigneeId must be a user id (UUID).");
        return null;
    }

    private static IReadOnlyList<string> ReadTags(JsonElement body, ValidationErrors errors)
    {
        if (!TryGet(body, "tags", out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("tags", "The tags must be an array of strings.");
            return [];
        }

        var tags = new List<string>();
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                errors.Add("tags", $"tags[{index}] must be a string.");
            }
            else
            {
                var tag = (element.GetString() ?? string.Empty).Trim();
                if (tag.Length is 0 or > TagMaxLength)
                {
                    errors.Add("tags", $"tags[{index}] must be 1 to {TagMaxLength} characters.");
                }
                else if (!tags.Contains(tag, StringComparer.Ordinal))
                {
                    tags.Add(tag);
                }
            }

            index++;
        }

        if (tags.Count > MaxTags)
        {
            errors.Add("tags", $"At most {MaxTags} distinct tags are allowed.");
        }

        return tags;
    }
}

/// <summary>The body of <c>POST /tasks/{id}/comments</c>.</summary>
public sealed record CommentInput
{
    public const int BodyMaxLength = 5_000;

    public required string Body { get; init; }

    public static CommentInput? Parse(JsonElement body, ValidationErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "The request body must be a JSON object.");
            return null;
        }

        if (!body.TryGetProperty("body", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add("body", "The body is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add("body", "The body must be a string.");
            return null;
        }

        var text = value.GetString() ?? string.Empty;
        if (text.Length > BodyMaxLength || string.IsNullOrWhiteSpace(text))
        {
            errors.Add("body", $"The body must be 1 to {BodyMaxLength} characters and not only whitespace.");
            return null;
        }

        return new CommentInput { Body = text };
    }
}

public static class IsoDates
{
    /// <summary>
    /// ISO 8601 date or date-time (the System.Text.Json profile). A value without an offset is taken as UTC, so
    /// the server's time zone never changes its meaning. The result is UTC, truncated to milliseconds.
    /// </summary>
    public static bool TryParse(string text, out DateTime value)
    {
        value = default;
        if (text.Length is 0 or > 64)
        {
            return false;
        }

        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(text));
        return TryParse(document.RootElement, out value);
    }

    public static bool TryParse(JsonElement element, out DateTime value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.String || !element.TryGetDateTime(out var parsed))
        {
            return false;
        }

        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            value = Timestamps.Truncate(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            return true;
        }

        // With an offset or Z: take the instant itself rather than the server-local rendering of it.
        if (!element.TryGetDateTimeOffset(out var instant))
        {
            return false;
        }

        value = Timestamps.Truncate(instant.UtcDateTime);
        return true;
    }
}
