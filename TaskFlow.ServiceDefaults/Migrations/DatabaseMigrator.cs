using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskFlow.ServiceDefaults.Migrations;

/// <summary>
/// Applies the checked-in EF Core migrations of <typeparamref name="TContext"/> when the service starts, before it
/// serves: hosted services start one after another in registration order, and the server only after all of them, so
/// registered first (<c>AddDatabaseMigrations</c>) it also runs before the service's relays and consumers. Replicas
/// start together, so the work runs under a PostgreSQL advisory lock: the first replica migrates, the others wait and
/// then find nothing left to do. The optional hook (seed data, type reloads) runs after the migrations, still under
/// the lock. While the database is not reachable yet, the whole attempt is retried (<see cref="MigrationRetryPolicy"/>).
/// </summary>
public sealed partial class DatabaseMigrator<TContext>(
    IServiceScopeFactory scopes,
    DatabaseMigration<TContext> migration,
    ILogger<DatabaseMigrator<TContext>> logger) : IHostedService where TContext : DbContext
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        migration.Retry.ExecuteAsync(
            async ct =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await MigrateAsync(db, scope.ServiceProvider, migration.LockKey, migration.AfterMigration, logger, ct);
            },
            (attempt, delay, exception) => LogRetrying(logger, typeof(TContext).Name, attempt, delay, exception),
            cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One attempt: takes the session-level advisory lock <paramref name="lockKey"/> (raw SQL on the context's own
    /// connection, so no provider-specific API), applies pending migrations, runs <paramref name="afterMigration"/>
    /// and releases the lock.
    /// </summary>
    public static async Task MigrateAsync(
        TContext db,
        IServiceProvider services,
        long lockKey,
        Func<TContext, IServiceProvider, CancellationToken, Task>? afterMigration,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The session-level lock lives on this connection, so keep it open until unlocked.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
            try
            {
                // The history table first (CREATE TABLE IF NOT EXISTS): reading it before the first migration made EF Core
                // run a query that fails on a fresh database and log it as "Failed executing DbCommand" (an Error), though
                // nothing was wrong.
                await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    LogMigrating(logger, typeof(TContext).Name, pending.Count, string.Join(", ", pending));
                    await db.Database.MigrateAsync(cancellationToken);
                }

                LogUpToDate(logger, typeof(TContext).Name);
                if (afterMigration is not null)
                {
                    await afterMigration(db, services, cancellationToken);
                }
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s) of {DbContext}: {Migrations}")]
    private static partial void LogMigrating(ILogger logger, string dbContext, int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {DbContext} database is up to date")]
    private static partial void LogUpToDate(ILogger logger, string dbContext);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {DbContext} database is not reachable (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string dbContext, int attempt, TimeSpan delay, Exception exception);
}
