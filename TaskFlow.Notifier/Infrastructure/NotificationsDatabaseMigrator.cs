using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TaskFlow.Notifier.Infrastructure;

/// <summary>
/// Applies the checked-in migrations at startup. Replicas start together, so the migration runs under a PostgreSQL
/// advisory lock: the first replica migrates, the others wait and then find nothing left to do.
/// </summary>
public static partial class NotificationsDatabaseMigrator
{
    // An arbitrary constant shared by every Notifier replica ("notifier" in ASCII).
    private const long MigrationLockKey = 0x6E6F746966696572;

    public static async Task MigrateNotificationsDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NotificationsDatabaseMigrator));
        var connectionString = app.Configuration.GetConnectionString(NotifierResources.Database)
            ?? throw new InvalidOperationException($"ConnectionStrings:{NotifierResources.Database} is missing.");

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var lockConnection = new NpgsqlConnection(connectionString);
                await lockConnection.OpenAsync(cancellationToken);
                await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
                {
                    take.Parameters.AddWithValue("key", MigrationLockKey);
                    await take.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
                await db.Database.MigrateAsync(cancellationToken);
                LogMigrated(logger);
                // Closing the lock connection releases the advisory lock.
                return;
            }
            catch (NpgsqlException ex) when (attempt < 10)
            {
                LogRetry(logger, attempt, ex);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications database is up to date")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migrating the notifications database failed (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, Exception exception);
}
