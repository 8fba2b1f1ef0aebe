using System.Diagnostics.CodeAnalysis;

namespace TaskFlow.Tasks.Apis.Requests;

/// <summary>Values that body and query string spell alike: enum names, user ids, dates; each with its error message.</summary>
internal static class ApiValues
{
    /// <summary>The value an API name (<c>in_progress</c>, <c>-dueDate</c>) stands for; false and an error when it names none.</summary>
    public static bool TryName<T>(
        string field, string? text, IReadOnlyDictionary<string, T> names, ValidationErrors errors, [MaybeNullWhen(false)] out T value)
    {
        if (text is not null && names.TryGetValue(text, out value))
        {
            return true;
        }

        errors.Add(field, $"The {field} must be one of: {string.Join(", ", names.Keys)}.");
        value = default;
        return false;
    }

    /// <summary>A user id in canonical (lowercase, hyphenated) form; null and an error when it is not a UUID.</summary>
    public static string? UserId(string field, string? text, ValidationErrors errors)
    {
        if (Guid.TryParse(text, out var id))
        {
            return id.ToString();
        }

        errors.Add(field, $"The {field} must be a user id (UUID).");
        return null;
    }

    /// <summary>The date a parser found, or null and an error when it found none.</summary>
    public static DateTime? Date(string field, bool parsed, DateTime value, ValidationErrors errors)
    {
        if (parsed)
        {
            return value;
        }

        errors.Add(field, $"The {field} must be an ISO 8601 date or date-time.");
        return null;
    }

    /// <summary>A tag (trimmed) must be 1 to <see cref="TaskInput.TagMaxLength"/> characters.</summary>
    public static bool IsTag(string tag) => tag.Length is > 0 and <= TaskInput.TagMaxLength;
}
