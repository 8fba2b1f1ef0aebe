namespace TaskFlow.Tasks.Apis.Requests;

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
