using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskFlow.Graph.Infrastructure;

/// <summary>
/// The REST APIs of Users, Tasks and Notifier as one GraphQL request sees them: every call carries the caller's own
/// bearer token and request id, so each service applies its own visibility and permission rules, and a REST error
/// status becomes a <see cref="GraphError"/> with the matching code. Nothing of a failure's internals reaches the client.
/// One instance serves one GraphQL request; at most <see cref="GraphLimits.MaxConcurrentDownstreamCalls"/> of its calls
/// are in flight at once (the others wait their turn), so a request within the budget never floods a service.
/// </summary>
public sealed partial class ServiceApi(
    IHttpClientFactory clients,
    GraphTelemetry telemetry,
    ILogger<ServiceApi> logger,
    string authorization,
    string? requestId)
{
    public const string RequestIdHeader = "X-Request-Id";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _slots = new(GraphLimits.MaxConcurrentDownstreamCalls);

    public Task<T> GetAsync<T>(string service, string endpoint, string path, CancellationToken cancellationToken) =>
        SendAsync<T>(service, endpoint, HttpMethod.Get, path, body: null, ifMatch: null, cancellationToken);

    /// <summary>Sends a request and reads a JSON answer of type <typeparamref name="T"/>; any status >= 400 throws a <see cref="GraphError"/>.</summary>
    public async Task<T> SendAsync<T>(
        string service, string endpoint, HttpMethod method, string path, object? body, string? ifMatch, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            using var response = await SendCoreAsync(service, endpoint, method, path, body, ifMatch, cancellationToken);
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                   ?? throw Unavailable(service, "an empty answer");
        }
        catch (JsonException)
        {
            throw Unavailable(service, "an answer that is not the expected JSON");
        }
        catch (HttpRequestException ex)
        {
            // The connection broke while the body was read.
            throw Unavailable(service, ex.GetType().Name);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Sends a request whose success has no body (204).</summary>
    public async Task SendAsync(string service, string endpoint, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            using var response = await SendCoreAsync(service, endpoint, method, path, body: null, ifMatch: null, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        string service, string endpoint, HttpMethod method, string path, object? body, string? ifMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        telemetry.DownstreamCall(endpoint);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(service).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException
                                       or Polly.Timeout.TimeoutRejectedException or Polly.RateLimiting.RateLimiterRejectedException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unavailable(service, ex.GetType().Name);
        }

        if ((int)response.StatusCode < 400)
        {
            return response;
        }

        using (response)
        {
            throw await ToErrorAsync(service, response, cancellationToken);
        }
    }

    private async Task<GraphError> ToErrorAsync(string service, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var code = GraphErrorCodes.FromStatus(status);
        if (code is GraphErrorCodes.Unavailable or GraphErrorCodes.InternalServerError)
        {
            return Unavailable(service, $"status {status}");
        }

        RestProblem? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<RestProblem>(Json, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // An answer without a problem body (a bare 403 or 404): the status alone says enough.
        }

        return new GraphError(code, MessageFor(response.StatusCode, problem), problem?.Errors);
    }

    /// <summary>The client-facing text: the REST problem's own detail (written for clients), or a plain default.</summary>
    private static string MessageFor(HttpStatusCode status, RestProblem? problem)
    {
        if (problem?.Errors is { Count: > 0 } errors)
        {
            return "Invalid input: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        }

        return problem?.Detail ?? problem?.Title ?? status switch
        {
            HttpStatusCode.Unauthorized => "The access token is missing, invalid or expired.",
            HttpStatusCode.Forbidden => "You are not allowed to do this.",
            HttpStatusCode.NotFound => "Not found.",
            _ => "The request was not accepted.",
        };
    }

    private GraphError Unavailable(string service, string failure)
    {
        LogDownstreamFailed(logger, service, failure);
        return new GraphError(GraphErrorCodes.Unavailable, $"The {service} service is unavailable right now; try again shortly.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Service} service failed a GraphQL request ({Failure})")]
    private static partial void LogDownstreamFailed(ILogger logger, string service, string failure);
}
