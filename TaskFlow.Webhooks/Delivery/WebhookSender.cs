using System.Net.Http.Headers;
using System.Text;
using StandardWebhooks;

namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// One attempt: <c>POST url</c> with the CloudEvent body, signed per Standard Webhooks by the library
/// (<c>webhook-id</c> = the event id, <c>webhook-timestamp</c> = now, <c>webhook-signature</c> = one <c>v1,</c>
/// signature per live secret, space-separated). A 2xx within the timeout is a success; the answer's body is read
/// only up to a small bound. Never throws for what the receiver or the network did: that is the result.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, SecretProtector secrets, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string HttpClientName = "webhooks";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<AttemptResult> SendAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var settings = options.Value;
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var webhookId = delivery.EventId.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Body));
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(IdHeader, webhookId);
        request.Headers.TryAddWithoutValidation(TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(SignatureHeader, Signatures(delivery, webhookId, now));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.AttemptTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await DrainBoundedAsync(response, settings.MaxResponseBytes, timeout.Token);
            return new AttemptResult((int)response.StatusCode, null, RetryAfterOf(response, now), Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new AttemptResult(null, $"No answer within {settings.AttemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", null, Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            var refused = FindRefusal(ex);
            var error = refused?.Message ?? $"The request failed ({ex.HttpRequestError}).";
            return new AttemptResult(null, error, null, Stopwatch.GetElapsedTime(started));
        }
    }

    private string Signatures(ClaimedDelivery delivery, string webhookId, DateTimeOffset now)
    {
        var current = Sign(secrets.Unprotect(delivery.ProtectedSecret), webhookId, now, delivery.Body);
        if (delivery.PreviousProtectedSecret is { } previous && delivery.PreviousSecretExpiresAt is { } expires && expires > now)
        {
            return current + " " + Sign(secrets.Unprotect(previous), webhookId, now, delivery.Body);
        }

        return current;
    }

    private static string Sign(string secret, string webhookId, DateTimeOffset timestamp, string body) =>
        new StandardWebhook(WebhookSecret.KeyOf(secret)).Sign(webhookId, timestamp, body);

    private static async Task DrainBoundedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(Math.Max(maxBytes, 1), 4096)];
        var read = 0;
        while (read < maxBytes)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, maxBytes - read)), cancellationToken);
            if (n == 0)
            {
                return;
            }

            read += n;
        }
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        return retryAfter.Delta ?? (retryAfter.Date is { } date && date > now ? date - now : null);
    }

    private static DestinationRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is DestinationRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
