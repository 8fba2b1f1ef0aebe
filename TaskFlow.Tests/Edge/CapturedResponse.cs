using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TaskFlow.Tests.Edge;

/// <summary>A response read completely: status, exact body bytes and every header, for byte-level comparisons.</summary>
public sealed record CapturedResponse(HttpStatusCode Status, byte[] Body, string? ContentType, IReadOnlyDictionary<string, string> Headers)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public bool Replayed => Header("Idempotent-Replayed") == "true";

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public static async Task<CapturedResponse> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        return new CapturedResponse(response.StatusCode, await response.Content.ReadAsByteArrayAsync(),
            response.Content.Headers.ContentType?.ToString(), headers);
    }
}
