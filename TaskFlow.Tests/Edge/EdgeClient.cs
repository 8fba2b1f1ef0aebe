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

/// <summary>Sends raw JSON writes, with or without an Idempotency-Key, and captures the answers.</summary>
public static class EdgeClient
{
    public static async Task<CapturedResponse> PostAsync(HttpClient client, string path, string json, string? key = null, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return await CapturedResponse.ReadAsync(response);
    }

    public static void AssertProblem(CapturedResponse response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(response.Status == status, $"expected {(int)status}, got {(int)response.Status}: {response.Text}");
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal((int)status, response.Json().GetProperty("status").GetInt32());
    }

    public static string NewKey() => "key-" + Guid.NewGuid().ToString("N");
}
