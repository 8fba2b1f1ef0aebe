using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TaskFlow.Tests.Edge;

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
