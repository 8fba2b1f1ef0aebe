namespace TaskFlow.Webhooks.Delivery;

/// <summary>
/// Sends due deliveries, on every replica at once without sending one twice: each round claims what this replica has
/// room for (<see cref="DeliveryStore.ClaimAsync"/>: a lease under <c>FOR UPDATE SKIP LOCKED</c>), at most
/// <see cref="WebhookOptions.MaxConcurrency"/> in flight, <see cref="WebhookOptions.MaxConcurrencyPerDestination"/>
/// per destination and <see cref="WebhookOptions.MaxConcurrencyPerOwner"/> per owner, so a receiver that hangs holds
/// only its own slots, and one user's many hanging receivers only that user's, never delaying other subscriptions. Results
/// go back under the lease: success, a retry by <see cref="RetrySchedule"/>, failure for good, or a disabled
/// subscription (410 at once, or failing for <see cref="WebhookOptions.DisableAfterFailingFor"/>).
/// </summary>
public sealed partial class DeliveryWorker(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    DeliverySignal signal,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const string ActivitySourceName = "TaskFlow.Webhooks";
    private static readonly ActivitySource Activities = new(ActivitySourceName);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _runningOwners = [];
    private readonly HashSet<Task> _attempts = [];
    private int _inFlight;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var room = settings.MaxConcurrency - Volatile.Read(ref _inFlight);
            var claimed = 0;
            try
            {
                if (room > 0)
                {
                    claimed = await ClaimAndStartAsync(room, settings, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogClaimFailed(logger, ex.GetType().Name, ex.Message);
            }

            // More may be due at once: claim again while each round fills the room it had.
            if (room <= 0 || claimed < room)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        Task[] running;
        lock (_gate)
        {
            running = [.. _attempts];
        }

        await Task.WhenAll(running);
    }

    private async Task<int> ClaimAndStartAsync(int room, WebhookOptions settings, CancellationToken stoppingToken)
    {
        ClaimBounds bounds;
        lock (_gate)
        {
            bounds = new ClaimBounds(
                settings.MaxConcurrencyPerDestination, new Dictionary<string, int>(_running, StringComparer.Ordinal),
                settings.MaxConcurrencyPerOwner, new Dictionary<Guid, int>(_runningOwners));
        }

        IReadOnlyList<ClaimedDelivery> claims;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            claims = await db.ClaimAsync(room, bounds, settings.LeaseDuration, stoppingToken);
        }

        foreach (var claim in claims)
        {
            lock (_gate)
            {
                _running[claim.Destination] = _running.GetValueOrDefault(claim.Destination) + 1;
                _runningOwners[claim.OwnerId] = _runningOwners.GetValueOrDefault(claim.OwnerId) + 1;
                _inFlight++;
                metrics.AttemptStarted();
                var attempt = AttemptAsync(claim, stoppingToken);
                _attempts.Add(attempt);
                _ = attempt.ContinueWith(done => Finished(claim, done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        return claims.Count;
    }

    private void Finished(ClaimedDelivery claim, Task attempt)
    {
        lock (_gate)
        {
            _attempts.Remove(attempt);
            _inFlight--;
            if (--_running[claim.Destination] <= 0)
            {
                _running.Remove(claim.Destination);
            }

            if (--_runningOwners[claim.OwnerId] <= 0)
            {
                _runningOwners.Remove(claim.OwnerId);
            }
        }

        signal.Notify();
    }

    private async Task AttemptAsync(ClaimedDelivery claim, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var activity = Activities.StartActivity("webhook deliver", ActivityKind.Internal);
        activity?.SetTag("webhook.subscription_id", claim.SubscriptionId);
        activity?.SetTag("webhook.event_id", claim.EventId);
        AttemptResult result;
        try
        {
            result = await sender.SendAsync(claim, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            metrics.AttemptFinished(new AttemptResult(null, "stopped", null, TimeSpan.Zero), null);
            await ReleaseAsync(claim);
            return;
        }
        catch (Exception ex)
        {
            // Not the receiver's doing (e.g. a secret that no longer decrypts): a failed attempt all the same, never a crash.
            LogAttemptError(logger, claim.Id, ex.GetType().Name);
            result = new AttemptResult(null, "The delivery could not be prepared.", null, TimeSpan.Zero);
        }

        var now = time.GetUtcNow();
        metrics.AttemptFinished(result, result.Succeeded ? now - claim.CreatedAt : null);
        activity?.SetTag("http.response.status_code", result.StatusCode);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            await RecordAsync(db, claim, result, now, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The lease runs out and the delivery is tried again: at least once, the same webhook-id every time.
            LogRecordFailed(logger, claim.Id, ex.GetType().Name);
        }
    }

    private async Task RecordAsync(WebhooksDbContext db, ClaimedDelivery claim, AttemptResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempt = claim.Attempts + 1;
        if (result.Succeeded)
        {
            await db.RecordSuccessAsync(claim, result, now, cancellationToken);
            LogDelivered(logger, claim.Id, claim.SubscriptionId, attempt, result.StatusCode ?? 0);
            return;
        }

        var settings = options.Value;
        var reason = result.Gone ? "The receiver answered 410 Gone."
            : claim.FailingSince is { } since && now - since >= settings.DisableAfterFailingFor ? "Every delivery failed for 5 days."
            : null;
        if (reason is not null)
        {
            // Disabled before this delivery's own result is written: whoever sees it failed sees the webhook disabled.
            await db.DisableAsync(claim.SubscriptionId, claim.Id, reason, cancellationToken);
            metrics.Disabled(result.Gone ? "gone" : "failing");
            LogDisabled(logger, claim.SubscriptionId, reason);
        }

        var delay = reason is not null ? null : settings.Schedule().DelayAfter(attempt, result.RetryAfter, Random.Shared.NextDouble());
        await db.RecordFailureAsync(claim, result, now, now + delay, cancellationToken);
        LogFailed(logger, claim.Id, claim.SubscriptionId, attempt, result.StatusCode, result.Error, delay);
    }

    private async Task ReleaseAsync(ClaimedDelivery claim)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().ReleaseAsync(claim, timeout.Token);
        }
        catch (Exception ex)
        {
            // The lease expires instead; another replica takes the delivery then.
            LogRecordFailed(logger, claim.Id, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming due webhook deliveries failed ({ErrorType}: {Error}); trying again")]
    private static partial void LogClaimFailed(ILogger logger, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} of webhook {SubscriptionId} succeeded on attempt {Attempt} ({StatusCode})")]
    private static partial void LogDelivered(ILogger logger, Guid deliveryId, Guid subscriptionId, int attempt, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} of webhook {SubscriptionId} failed attempt {Attempt} (status {StatusCode}, {Error}); next in {RetryIn}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, Guid subscriptionId, int attempt, int? statusCode, string? error, TimeSpan? retryIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {SubscriptionId} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, Guid subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be prepared ({ErrorType})")]
    private static partial void LogAttemptError(ILogger logger, Guid deliveryId, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of delivery {DeliveryId} could not be stored ({ErrorType}); its lease runs out and it is tried again")]
    private static partial void LogRecordFailed(ILogger logger, Guid deliveryId, string errorType);
}
