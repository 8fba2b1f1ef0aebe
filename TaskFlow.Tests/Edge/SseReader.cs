using System.Net.Http.Headers;
using System.Text;

namespace TaskFlow.Tests.Edge;

/// <summary>Reads <c>text/event-stream</c> per the HTML spec's framing: fields until a blank line; ':' starts a comment.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseReader> OpenAsync(HttpClient client, string token, string? lastEventId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notifications/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
    }

    /// <summary>The next event or comment.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string? id = null, name = null;
        StringBuilder? data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The stream ended.");
            if (line.Length == 0)
            {
                if (id is not null || name is not null || data is not null)
                {
                    return new SseEvent(id, name, data?.ToString(), null);
                }

                continue;
            }

            if (line[0] == ':')
            {
                return new SseEvent(null, null, null, line[1..].TrimStart());
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                    break;
            }
        }
    }

    /// <summary>The next event that carries data, skipping comments.</summary>
    public async Task<SseEvent> NextEventAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var next = await NextAsync(deadline - DateTime.UtcNow);
            if (next.Data is not null)
            {
                return next;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
