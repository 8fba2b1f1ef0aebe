namespace TaskFlow.Tasks.Apis.Requests;

/// <summary>
/// Reads the JSON bodies of the task routes (handed to <c>JsonBodyReader</c>, which answers 415 / 400 / 413 before).
/// A JSON <c>null</c> counts as an absent field; unknown fields are ignored.
/// </summary>
public static class TaskRequestBodies
{
    /// <summary>
    /// A <see cref="TaskInput"/> (<c>POST /tasks</c>, <c>PUT /tasks/{id}</c>). Every field is type-checked on its own, so
    /// <c>{"title": {"$gt": ""}}</c> is a validation error on <c>title</c>, never a value that could reach a query.
    /// </summary>
    public static TaskInput? ReadTask(JsonElement body, ValidationErrors errors)
    {
        if (!IsObject(body, errors))
        {
            return null;
        }

        // Fields are read in this order, so their errors are reported in it.
        var input = new TaskInput
        {
            Title = ReadTitle(body, errors) ?? string.Empty,
            Description = ReadDescription(body, errors),
            Status = ReadName(body, "status", TaskEnumNames.Statuses, errors) ?? TaskItemStatus.Todo,
            Priority = ReadName(body, "priority", TaskEnumNames.Priorities, errors) ?? TaskPriority.Medium,
            DueDate = ReadDueDate(body, errors),
            AssigneeId = ReadAssigneeId(body, errors),
            Tags = ReadTags(body, errors),
        };
        return errors.IsEmpty ? input : null;
    }

    /// <summary>A <see cref="CommentInput"/> (<c>POST /tasks/{id}/comments</c>): <c>{"body": "..."}</c>.</summary>
    public static CommentInput? ReadComment(JsonElement body, ValidationErrors errors)
    {
        if (!IsObject(body, errors) || ReadString(body, "body", required: true, errors) is not { } text)
        {
            return null;
        }

        if (text.Length > CommentInput.BodyMaxLength || string.IsNullOrWhiteSpace(text))
        {
            errors.Add("body", $"The body must be 1 to {CommentInput.BodyMaxLength} characters and not only whitespace.");
            return null;
        }

        return new CommentInput { Body = text };
    }

    private static string? ReadTitle(JsonElement body, ValidationErrors errors)
    {
        var title = ReadString(body, "title", required: true, errors)?.Trim();
        if (title is { Length: 0 or > TaskInput.TitleMaxLength })
        {
            errors.Add("title", $"The title must be 1 to {TaskInput.TitleMaxLength} characters.");
            return null;
        }

        return title;
    }

    private static string? ReadDescription(JsonElement body, ValidationErrors errors)
    {
        var description = ReadString(body, "description", required: false, errors);
        if (description is { Length: > TaskInput.DescriptionMaxLength })
        {
            errors.Add("description", $"The description must be at most {TaskInput.DescriptionMaxLength} characters.");
            return null;
        }

        return description;
    }

    private static DateTime? ReadDueDate(JsonElement body, ValidationErrors errors) =>
        TryGet(body, "dueDate", out var value) ? ApiValues.Date("dueDate", IsoDates.TryParse(value, out var date), date, errors) : null;

    private static string? ReadAssigneeId(JsonElement body, ValidationErrors errors) =>
        TryGet(body, "assigneeId", out var value) ? ApiValues.UserId("assigneeId", TextOf(value), errors) : null;

    private static T? ReadName<T>(JsonElement body, string name, IReadOnlyDictionary<string, T> names, ValidationErrors errors)
        where T : struct =>
        TryGet(body, name, out var value) && ApiValues.TryName(name, TextOf(value), names, errors, out var named) ? named : null;

    private static string? TextOf(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
                if (!ApiValues.IsTag(tag))
                {
                    errors.Add("tags", $"tags[{index}] must be 1 to {TaskInput.TagMaxLength} characters.");
                }
                else if (!tags.Contains(tag, StringComparer.Ordinal))
                {
                    tags.Add(tag);
                }
            }

            index++;
        }

        if (tags.Count > TaskInput.MaxTags)
        {
            errors.Add("tags", $"At most {TaskInput.MaxTags} distinct tags are allowed.");
        }

        return tags;
    }

    private static bool IsObject(JsonElement body, ValidationErrors errors)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add("body", "The request body must be a JSON object.");
        return false;
    }

    private static bool TryGet(JsonElement body, string name, out JsonElement value) =>
        body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The field's text; null when it is absent (an error if required) or not a string (an error).</summary>
    private static string? ReadString(JsonElement body, string name, bool required, ValidationErrors errors)
    {
        if (!TryGet(body, name, out var value))
        {
            errors.Add(name, required ? $"The {name} is required." : null);
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() ?? string.Empty;
        }

        errors.Add(name, $"The {name} must be a string.");
        return null;
    }
}
