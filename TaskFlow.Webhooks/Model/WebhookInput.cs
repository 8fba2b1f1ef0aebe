using TaskFlow.ServiceDefaults.Errors;

namespace TaskFlow.Webhooks.Model;

/// <summary>
/// The body of <c>POST /webhooks</c>, <c>{url, events, description?}</c>, checked field by field: the URL absolute
/// http(s), at least one event, every event a known type, the description at most 500 characters. Whether the URL's
/// host may be reached is decided apart (<c>DestinationPolicy</c>), as it needs DNS.
/// </summary>
public sealed record WebhookInput(Uri Url, IReadOnlyList<string> Events, string? Description)
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;

    /// <summary><c>host:port</c> of the URL, the destination the per-destination bound counts by.</summary>
    public string Destination => $"{Url.IdnHost.ToLowerInvariant()}:{Url.Port.ToString(CultureInfo.InvariantCulture)}";

    public static WebhookInput? Parse(JsonElement body, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "Must be a JSON object.");
            return null;
        }

        var url = ParseUrl(body, errors);
        var events = ParseEvents(body, errors);
        string? description = null;
        if (body.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.String)
            {
                errors.Add("description", "Must be a string.");
            }
            else if ((description = d.GetString()) is { Length: > MaxDescriptionLength })
            {
                errors.Add("description", $"Must be at most {MaxDescriptionLength} characters.");
            }
        }

        return url is not null && events is not null && errors.IsEmpty ? new WebhookInput(url, events, description) : null;
    }

    private static Uri? ParseUrl(JsonElement body, ValidationErrors errors)
    {
        if (!body.TryGetProperty("url", out var u) || u.ValueKind == JsonValueKind.Null)
        {
            errors.Add("url", "Required.");
            return null;
        }

        if (u.ValueKind != JsonValueKind.String || u.GetString() is not { } text)
        {
            errors.Add("url", "Must be a string.");
            return null;
        }

        if (text.Length > MaxUrlLength)
        {
            errors.Add("url", $"Must be at most {MaxUrlLength} characters.");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) ||
            (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) ||
            string.IsNullOrEmpty(url.Host))
        {
            errors.Add("url", "Must be an absolute http or https URL.");
            return null;
        }

        return url;
    }

    private static string[]? ParseEvents(JsonElement body, ValidationErrors errors)
    {
        if (!body.TryGetProperty("events", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            errors.Add("events", "Required: at least one event type.");
            return null;
        }

        if (e.ValueKind != JsonValueKind.Array)
        {
            errors.Add("events", "Must be an array of event types.");
            return null;
        }

        var events = new List<string>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } type)
            {
                errors.Add("events", "Every event type must be a string.");
                return null;
            }

            if (!WebhookEventTypes.IsKnown(type))
            {
                errors.Add("events", $"Unknown event type '{Truncate(type)}'; known: {string.Join(", ", WebhookEventTypes.All)}.");
                return null;
            }

            if (!events.Contains(type))
            {
                events.Add(type);
            }
        }

        if (events.Count == 0)
        {
            errors.Add("events", "Required: at least one event type.");
            return null;
        }

        return [.. events];
    }

    private static string Truncate(string text) => text.Length <= 50 ? text : text[..50] + "…";
}
