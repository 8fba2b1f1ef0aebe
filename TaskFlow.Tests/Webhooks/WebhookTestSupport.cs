using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskFlow.Tests.Infrastructure;

namespace TaskFlow.Tests.Webhooks;

/// <summary>What the webhook tests share: the fixture's shortened schedule, a real receiver, and API shortcuts.</summary>
public static class WebhookTestSupport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Retries after 1 s and 2 s (3 attempts) in the test run, instead of the contract's 5 s, 1 min, ... over a day.</summary>
    public static void ShortenRetries(IDistributedApplicationTestingBuilder builder)
    {
        var webhooks = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "webhooks");
        webhooks.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
        {
            context.EnvironmentVariables["Webhooks__RetryDelays__0"] = "00:00:01";
            context.EnvironmentVariables["Webhooks__RetryDelays__1"] = "00:00:02";
        }));
    }

    public sealed record WebhookDto(Guid Id, string Url, string[] Events, string? Description, bool Enabled, DateTimeOffset CreatedAt, string? Secret);

    public sealed record DeliveryDto(Guid Id, Guid EventId, string EventType, string Status, int Attempts, int? LastResponseStatus, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt);

    public sealed record PageDto<T>(T[] Items, string? NextCursor);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await client.SendAsync(request);
    }

    public static async Task<WebhookDto> CreateAsync(HttpClient client, string token, string url, params string[] events)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/webhooks", token, new { url, events, description = "test receiver" });
        await Users.UsersApiClient.EnsureStatusAsync(response, HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<WebhookDto>(Json) ?? throw new InvalidOperationException("Empty answer.");
        Assert.Equal($"/webhooks/{created.Id}", response.Headers.Location?.OriginalString);
        return created;
    }

    public static async Task<T> GetAsync<T>(HttpClient client, string token, string path)
    {
        using var response = await SendAsync(client, HttpMethod.Get, path, token);
        await Users.UsersApiClient.EnsureStatusAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<T>(Json) ?? throw new InvalidOperationException("Empty answer.");
    }

    /// <summary>Polls the deliveries of a webhook until <paramref name="done"/> holds (10 s at most).</summary>
    public static async Task<DeliveryDto[]> WaitForDeliveriesAsync(HttpClient client, string token, Guid webhookId, Func<DeliveryDto[], bool> done, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var page = await GetAsync<PageDto<DeliveryDto>>(client, token, $"/webhooks/{webhookId}/deliveries?limit=100");
            if (done(page.Items))
            {
                return page.Items;
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                Assert.Fail($"deliveries never reached the expected state: {JsonSerializer.Serialize(page.Items, Json)}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// A receiver whose failed waits say what the Webhooks store holds for its URL (status, attempts, last answer and
    /// error of each delivery), so a failure in CI names its cause.
    /// </summary>
    public static async Task<WebhookReceiver> StartReceiverAsync(TaskFlowAppFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var receiver = await WebhookReceiver.StartAsync();
        var connectionString = await fixture.GetConnectionStringAsync(TaskFlow.Webhooks.WebhooksResources.Database);
        receiver.Explain = async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                """
                SELECT d.status, d.attempts, d.last_response_status, d.last_error, d.next_attempt_at, d.lease_until, d.created_at, now()
                FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE s.url = @url ORDER BY d.created_at
                """, connection);
            command.Parameters.AddWithValue("url", receiver.Url);
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "null" : reader.GetValue(i))}")));
            }

            return rows.Count == 0 ? "none" : string.Join(" | ", rows);
        };
        return receiver;
    }

    /// <summary>Standard Webhooks signature computed here, independent of the library: base64 HMAC-SHA256 over id.timestamp.body.</summary>
    public static string Hmac(string secret, string webhookId, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}")));
    }

    /// <summary>Verifies with the StandardWebhooks library's own verifier; throws WebhookVerificationException when it fails.</summary>
    public static void VerifyWithLibrary(string secret, ReceivedWebhook received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = received.Id,
            ["webhook-timestamp"] = received.Timestamp,
            ["webhook-signature"] = received.Signature,
        };
        new StandardWebhooks.StandardWebhook(Convert.FromBase64String(secret["whsec_".Length..])).Verify(received.Body, headers);
    }
}

/// <summary>One POST a receiver got.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string ContentType, string Body, DateTimeOffset ReceivedAt)
{
    public JsonElement CloudEvent => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// A real HTTP receiver: Kestrel on a free loopback port inside the test. <see cref="Respond"/> decides each answer
/// (the call's number, 1-based, and the request's abort token); every request to its own path is recorded. The path
/// is unique to the receiver: a port the system still delivers to for an earlier test's webhook (a retry, a backlog)
/// may be given to a later receiver, whose count such a POST must not change; it is answered 410, which disables
/// that stale webhook.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _calls;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Func<int, CancellationToken, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(StatusCodes.Status204NoContent);

    public string Url { get; private set; } = "";

    /// <summary>What the system knows of the deliveries to this receiver, added to a failed wait's message.</summary>
    public Func<Task<string>>? Explain { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var path = $"/hook/{Guid.NewGuid():N}";
        app.MapPost("/hook/{id}", async (HttpContext context) =>
        {
            if (!string.Equals(context.Request.Path.Value, path, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status410Gone;
                return;
            }

            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var call = Interlocked.Increment(ref receiver._calls);
            receiver._received.Enqueue(new ReceivedWebhook(
                context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(),
                context.Request.ContentType ?? "",
                body,
                DateTimeOffset.UtcNow));
            receiver._arrived.Release();
            context.Response.StatusCode = await receiver.Respond(call, context.RequestAborted);
        });
        await app.StartAsync();
        var address = (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? throw new InvalidOperationException("Kestrel reports no address.")).First();
        receiver.Url = address.TrimEnd('/') + path;
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (10 s at most) and returns them all.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (_received.Count < count)
        {
            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                var known = Explain is null ? "" : "; deliveries stored for it: " + await Explain();
                Assert.Fail($"the receiver got {_received.Count} of {count} deliveries within {limit.TotalSeconds} s{known}");
            }
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        _arrived.Dispose();
    }
}
