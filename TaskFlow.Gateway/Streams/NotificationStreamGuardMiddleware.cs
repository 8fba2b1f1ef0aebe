using TaskFlow.Gateway.Revocation;

namespace TaskFlow.Gateway.Streams;

/// <summary>
/// API.md "Sessions at the edge" and the <c>/notifications/stream</c> row, for the streams the gateway forwards: at
/// most <see cref="StreamLimitOptions.MaxPerUser"/> open per user across replicas (the next is 429 problem+json with
/// <c>Retry-After</c>), and a stream ends as soon as its token is revoked. The revocation signal is the gateway's own
/// (<see cref="RevokedTokenCache"/>, fed by the <c>auth:revocations</c> channel): a revocation of the stream's session,
/// or of its user's tokens issued before it, closes the connection at once; every write first checks what is known,
/// and each lease renewal re-checks the shared list, so a lost message costs at most the cache's trust period.
/// </summary>
public sealed partial class NotificationStreamGuardMiddleware(
    RequestDelegate next, StreamSlotStore slots, RevokedTokenCache revocations, IOptions<StreamLimitOptions> options,
    ILogger<NotificationStreamGuardMiddleware> logger)
{
    public const string StreamPath = "/notifications/stream";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.Equals(StreamPath, StringComparison.OrdinalIgnoreCase) ||
            context.User.GetSubject() is not { } userId)
        {
            await next(context);
            return;
        }

        var sessionId = context.User.GetSessionId();
        var issuedAt = AccessTokenIssuedAt.Milliseconds(context.User);
        var streamId = Guid.NewGuid().ToString("N");
        var slot = await slots.AcquireAsync(userId, streamId);
        if (!slot.Granted)
        {
            var retryAfter = slot.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many streams",
                $"At most {options.Value.MaxPerUser} notification streams may be open per user; close one or retry after {retryAfter} s.", retryAfter);
            return;
        }

        var closed = 0;
        void Close()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                LogClosedOnRevocation(logger);
                context.Abort();
            }
        }

        void OnRevoked(RevocationNotice notice)
        {
            if (notice.Covers(sessionId, userId, issuedAt))
            {
                Close();
            }
        }

        var body = context.Response.Body;
        context.Response.Body = new RevocationGuardedStream(body, () => revocations.IsKnownRevoked(sessionId, userId, issuedAt), Close);
        revocations.Revoked += OnRevoked;
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var renewing = RenewWhileOpenAsync(userId, sessionId, streamId, issuedAt, Close, renewal.Token);
        try
        {
            await next(context);
        }
        finally
        {
            revocations.Revoked -= OnRevoked;
            await renewal.CancelAsync();
            await renewing;
            context.Response.Body = body;
            await slots.ReleaseAsync(userId, streamId);
        }
    }

    private async Task RenewWhileOpenAsync(string userId, string? sessionId, string streamId, long issuedAt, Action close, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.RenewEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await slots.RenewAsync(userId, streamId);
                if (await revocations.CheckAsync(sessionId, userId, issuedAt) == RevocationVerdict.Revoked)
                {
                    close();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification stream closed: its access token was revoked")]
    private static partial void LogClosedOnRevocation(ILogger logger);
}
