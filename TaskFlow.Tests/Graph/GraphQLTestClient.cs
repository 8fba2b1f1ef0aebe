using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Graph;

/// <summary>A GraphQL client of the gateway for the distributed tests, and a reader of the Graph service's metrics.</summary>
public sealed class GraphQLTestClient(TaskFlowAppFixture fixture, HttpClient gateway)
{
    public sealed record Answer(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)
    {
        public JsonElement Data => Json.GetProperty("data");

        public IReadOnlyList<string> ErrorCodes => Json.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString() ?? "")]
            : [];

        public void AssertNoErrors() =>
            Assert.True(Status == HttpStatusCode.OK && ErrorCodes.Count == 0, $"{(int)Status}: {Json}");
    }

    public async Task<Answer> PostAsync(string? token, string query, object? variables = null, string? operationName = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables, operationName }), Encoding.UTF8, "application/json"),
        };
        return await SendAsync(request, token);
    }

    public async Task<Answer> SendAsync(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"Not JSON ({(int)response.StatusCode}): {text}");
        }

        return new Answer(response.StatusCode, json, response);
    }

    /// <summary>
    /// The Graph service's count of REST calls to one endpoint (<c>taskflow.graph.downstream.calls</c>), from its
    /// Prometheus scrape. A real count of the calls it made, not of what it meant to do.
    /// </summary>
    public async Task<long> DownstreamCallsAsync(string endpoint)
    {
        using var client = fixture.CreateClient("graph");
        var text = await client.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith("taskflow_graph_downstream_calls_total{", StringComparison.Ordinal)
                           && line.Contains($"endpoint=\"{endpoint}\"", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }

    /// <summary>Waits until the scrape shows the count moved past <paramref name="before"/> (scrapes are cached briefly), then returns it.</summary>
    public async Task<long> DownstreamCallsAfterAsync(string endpoint, long before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        long now;
        while ((now = await DownstreamCallsAsync(endpoint)) == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        // One more scrape after the cache window, so a count still rising would show.
        await Task.Delay(500);
        return Math.Max(now, await DownstreamCallsAsync(endpoint));
    }
}
