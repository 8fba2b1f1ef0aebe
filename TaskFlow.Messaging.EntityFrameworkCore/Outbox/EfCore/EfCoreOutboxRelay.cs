using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Messaging.Publishing;

namespace TaskFlow.Messaging.Outbox.EfCore;

/// <summary>
/// Publishes the rows of a PostgreSQL outbox table. Each round claims up to a batch of due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> inside a transaction, so several replicas never publish the same row at the same
/// time, publishes them with confirms, and marks them published (or schedules a retry with back-off, or parks a
/// schema-invalid event as failed) before committing.
/// </summary>
internal sealed partial class EfCoreOutboxRelay<TDbContext>(
    IServiceScopeFactory scopes,
    IIntegrationEventPublisher publisher,
    IOptions<MessagingOptions> options,
    OutboxRelayState<TDbContext> state,
    ILogger<EfCoreOutboxRelay<TDbContext>> logger) : BackgroundService where TDbContext : DbContext
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextCleanup = DateTimeOffset.UtcNow;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            var seen = OutboxRelaySignal.Generation;
            try
            {
                claimed = await RunOnceAsync(stoppingToken);
                state.LastRoundAt = DateTimeOffset.UtcNow;
                state.LastRoundError = null;
                failures = 0;
                if (DateTimeOffset.UtcNow >= nextCleanup)
                {
                    await DeletePublishedAsync(settings.OutboxRetention, stoppingToken);
                    nextCleanup = DateTimeOffset.UtcNow + CleanupInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself is unavailable (or the table is missing): back off and try again.
                failures++;
                state.LastRoundError = ex.GetType().Name;
                LogRoundFailed(logger, typeof(TDbContext).Name, ex);
                await Task.Delay(OutboxPublishing.Backoff(failures, settings), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (claimed < settings.OutboxBatchSize)
            {
                await OutboxRelaySignal.WaitAsync(seen, settings.OutboxPollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var sql = ClaimSql(db);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var rows = await db.Set<OutboxMessage>().FromSqlRaw(sql, settings.OutboxBatchSize).ToListAsync(ct);
            if (rows.Count == 0)
            {
                await transaction.CommitAsync(ct);
                return 0;
            }

            var results = await Task.WhenAll(rows.Select(row => OutboxPublishing.PublishStoredAsync(publisher, row.Envelope, typeof(TDbContext).Name, ct)));
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var result = results[i];
                switch (result.Outcome)
                {
                    case OutboxPublishOutcome.Published:
                        row.PublishedAt = now;
                        row.LastError = null;
                        break;
                    case OutboxPublishOutcome.Failed:
                        row.FailedAt = now;
                        row.LastError = OutboxPublishing.Truncate(result.Error, 2000);
                        LogEventInvalid(logger, row.Id, row.EventType, result.Error ?? "");
                        break;
                    default:
                        row.Attempts++;
                        row.NextAttemptAt = now + OutboxPublishing.Backoff(row.Attempts, settings);
                        row.LastError = OutboxPublishing.Truncate(result.Error, 2000);
                        state.LastPublishFailureAt = now;
                        state.LastPublishError = result.Error;
                        LogPublishFailed(logger, row.Id, row.EventType, row.Attempts, result.Error ?? "");
                        break;
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return rows.Count;
        }, cancellationToken);
    }

    private async Task DeletePublishedAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var cutoff = DateTimeOffset.UtcNow - retention;
        await db.Set<OutboxMessage>().Where(m => m.PublishedAt != null && m.PublishedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    internal static string ClaimSql(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no outbox: call modelBuilder.AddOutbox() in OnModelCreating.");
        var table = entity.GetSchema() is string schema ? $"\"{schema}\".\"{entity.GetTableName()}\"" : $"\"{entity.GetTableName()}\"";
        return $"SELECT * FROM {table} WHERE published_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() " +
            "ORDER BY created_at LIMIT {0} FOR UPDATE SKIP LOCKED";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay round for {DbContext} failed; backing off")]
    private static partial void LogRoundFailed(ILogger logger, string dbContext, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox event {EventId} ({EventType}) is invalid and will not be published: {Reason}")]
    private static partial void LogEventInvalid(ILogger logger, Guid eventId, string eventType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox event {EventId} ({EventType}) failed, attempt {Attempt}: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid eventId, string eventType, int attempt, string reason);
}
