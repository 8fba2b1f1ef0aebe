using Microsoft.Net.Http.Headers;

namespace TaskFlow.ServiceDefaults.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> endpoint filter (API.md "Idempotent writes"). A request without the header runs as
/// usual. With it: the key is claimed in Redis, the handler runs with its response captured, and a final response
/// is stored for 24 h; a retry with the same key and body gets that response again byte for byte with
/// <c>Idempotent-Replayed: true</c>. Same key, different request → 422; same key still running → 409; Redis
/// unreachable → 503 with Retry-After (the request does not run, so it can never run twice).
/// </summary>
public sealed partial class IdempotencyFilter(IdempotencyScope scope) : IEndpointFilter
{
    /// <summary>Response headers that belong to the stored response and are replayed with it.</summary>
    public static readonly string[] ReplayedHeaders =
        [HeaderNames.ContentType, HeaderNames.Location, HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.CacheControl, HeaderNames.Pragma];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyRequest.KeyHeader, out var values))
        {
            return await next(context);
        }

        if (!IdempotencyRequest.TryGetKey(values, out var key))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid Idempotency-Key",
                detail: $"Idempotency-Key must be given once, as 1 to {IdempotencyRequest.MaxKeyLength} printable ASCII characters.");
        }

        if (IdempotencyRequest.Caller(http, scope) is not { } caller)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "An Idempotency-Key needs an identified caller.");
        }

        var cancellationToken = http.RequestAborted;
        var fingerprint = await IdempotencyRequest.FingerprintAsync(http.Request, cancellationToken);
        var storeKey = IdempotencyRequest.StoreKey(caller, key);
        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var logger = http.RequestServices.GetRequiredService<ILogger<IdempotencyFilter>>();
        var owner = Guid.NewGuid().ToString("N");
        IdempotencyBegin begin;
        try
        {
            begin = await store.BeginAsync(caller, storeKey, fingerprint, owner);
        }
        catch (IdempotencyStoreUnavailableException ex)
        {
            LogStoreUnavailable(logger, ex);
            return Unavailable(http);
        }

        if (begin.State != IdempotencyState.Acquired && begin.Fingerprint != fingerprint)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was already used for a different request (another body or endpoint).");
        }

        switch (begin)
        {
            case { State: IdempotencyState.InFlight }:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Request in progress",
                    detail: "A request with this Idempotency-Key is still being processed; retry once it has completed.");
            case { State: IdempotencyState.Completed, Response: { } stored }:
                await ReplayAsync(http, stored, cancellationToken);
                return Results.Empty;
        }

        StoredResponse captured;
        try
        {
            captured = await RunAndCaptureAsync(context, next);
        }
        catch
        {
            // The request failed unexpectedly (it becomes a 500): free the key so that a retry runs it again.
            await TryReleaseAsync(store, caller, storeKey, owner, logger);
            throw;
        }

        if (IsFinal(captured.StatusCode))
        {
            try
            {
                await store.CompleteAsync(storeKey, owner, captured);
            }
            catch (IdempotencyStoreUnavailableException ex)
            {
                // The work is done and is answered; the claim expires after the in-flight lifetime (409 until then).
                LogCompleteFailed(logger, ex);
            }
        }
        else
        {
            await TryReleaseAsync(store, caller, storeKey, owner, logger);
        }

        await WriteAsync(http, captured, cancellationToken);
        return Results.Empty;
    }

    /// <summary>
    /// Stored, as the idempotency-key draft has it, only what a retry of the same request would get again: successes
    /// (2xx) and the client errors that depend on the request alone — 400 (malformed or invalid), 413, 415 and 422.
    /// Not stored (the key is released, so a retry runs): 5xx, and the answers that depend on the moment or on
    /// current state rather than on the request — 401/403 (credentials), 404 (the task may become visible), 408,
    /// 409 (in flight or conflicting), 412, 425 and 429 (rate limited).
    /// </summary>
    public static bool IsFinal(int status) =>
        status is (>= 200 and < 300) or StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge
            or StatusCodes.Status415UnsupportedMediaType or StatusCodes.Status422UnprocessableEntity;

    private static async Task<StoredResponse> RunAndCaptureAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var response = http.Response;
        var originalBody = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            var result = await next(context);
            var executable = result switch
            {
                IResult r => r,
                null => Results.Empty,
                _ => TypedResults.Ok(result),
            };
            await executable.ExecuteAsync(http);
            await response.BodyWriter.FlushAsync(http.RequestAborted);
            if (response.StatusCode >= 400 && buffer.Length == 0)
            {
                // What UseStatusCodePages would add later, added now, so that the stored response is the one sent.
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = new ProblemDetails { Status = response.StatusCode } });
                await response.BodyWriter.FlushAsync(http.RequestAborted);
            }
        }
        finally
        {
            response.Body = originalBody;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ReplayedHeaders)
        {
            if (response.Headers.TryGetValue(name, out var value) && value.Count > 0)
            {
                headers[name] = value.ToString();
            }
        }

        return new StoredResponse(response.StatusCode, headers, buffer.ToArray());
    }

    private static async Task ReplayAsync(HttpContext http, StoredResponse stored, CancellationToken cancellationToken)
    {
        http.Response.Headers[IdempotencyRequest.ReplayedHeader] = "true";
        await WriteAsync(http, stored, cancellationToken);
    }

    private static async Task WriteAsync(HttpContext http, StoredResponse stored, CancellationToken cancellationToken)
    {
        var response = http.Response;
        response.StatusCode = stored.StatusCode;
        foreach (var (name, value) in stored.Headers)
        {
            response.Headers[name] = value;
        }

        if (stored.Body.Length > 0)
        {
            response.ContentLength = stored.Body.Length;
            await response.Body.WriteAsync(stored.Body, cancellationToken);
        }
        else
        {
            await response.StartAsync(cancellationToken);
        }
    }

    private static ProblemHttpResult Unavailable(HttpContext http)
    {
        var retryAfter = http.RequestServices.GetRequiredService<IOptions<IdempotencyOptions>>().Value.UnavailableRetryAfter;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Idempotency store unavailable",
            detail: "Requests with an Idempotency-Key cannot be accepted right now (they could run twice); retry later, or send the request without the key.");
    }

    private static async Task TryReleaseAsync(IdempotencyStore store, string caller, string storeKey, string owner, ILogger logger)
    {
        try
        {
            await store.ReleaseAsync(caller, storeKey, owner);
        }
        catch (IdempotencyStoreUnavailableException ex)
        {
            LogReleaseFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency store unreachable: a request with an Idempotency-Key is refused with 503")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store an idempotent response; its key stays claimed until the in-flight lifetime ends")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release an idempotency key; it frees itself when the in-flight lifetime ends")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
