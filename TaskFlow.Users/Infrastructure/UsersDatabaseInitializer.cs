using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskFlow.Users.Infrastructure.Passwords;
using TaskFlow.Users.Infrastructure.Tokens;
using TaskFlow.Users.IntegrationEvents;
using TaskFlow.Users.Model;

namespace TaskFlow.Users.Infrastructure;

/// <summary>
/// Before the server accepts requests: applies pending migrations and ensures the configured admin account, under a
/// PostgreSQL advisory lock so that replicas starting together take turns instead of racing.
/// </summary>
/// <remarks>
/// It also takes the <see cref="SigningKeyRing"/>, only so that the key is loaded (or the development key generated)
/// at start: a bad key fails the start, not the first login.
/// </remarks>
public sealed partial class UsersDatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<AdminAccountOptions> admin,
    PasswordHashing passwords,
    SigningKeyRing signingKeys,
    TimeProvider time,
    ILogger<UsersDatabaseInitializer> logger)
    : IHostedService
{
    // Any constant shared by all replicas of this service; other services use other keys.
    private const long MigrationLockKey = 0x7461736b_75736572; // "taskuser"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        await InitializeAsync(db, admin.Value, passwords, time, logger, cancellationToken);
        passwords.WarmUp();
        LogReady(logger, signingKeys.Current.KeyId, passwords.Iterations);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Migrates and ensures the admin account, one replica at a time (a session-level advisory lock).</summary>
    public static async Task InitializeAsync(
        UsersDbContext db, AdminAccountOptions admin, PasswordHashing passwords, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        // The session-level lock lives on this connection, so keep it open until unlocked.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    LogMigrating(logger, pending.Count, string.Join(", ", pending));
                    await db.Database.MigrateAsync(cancellationToken);
                }

                // This connection (and the pool) may predate the citext extension if another replica just created
                // it: load the database's types again, or citext parameters fail on it.
                if (db.Database.GetDbConnection() is NpgsqlConnection connection)
                {
                    await connection.ReloadTypesAsync(cancellationToken);
                }

                await EnsureAdminAsync(db, admin, passwords, time, logger, cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Configuration is the source of truth for the bootstrap admin: the account is created if missing, gets the
    /// admin role back if it lost it, and gets the configured password if the stored one no longer matches.
    /// </summary>
    private static async Task EnsureAdminAsync(
        UsersDbContext db, AdminAccountOptions options, PasswordHashing passwords, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.IsConfigured || options.Email is not { } email || options.Password is not { } password)
        {
            LogNoAdmin(logger);
            return;
        }

        var events = new UserEventStaging(db, time);
        email = EmailAddress.Normalize(email);
        var now = time.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null)
        {
            user = User.Register(email, options.DisplayName, await passwords.HashAsync(password, cancellationToken), now, [Roles.Admin]);
            db.Users.Add(user);
            events.Registered(user);
            await db.SaveChangesAsync(cancellationToken);
            LogAdminCreated(logger, user.Id);
            return;
        }

        if (user.SetRoles([.. user.Roles, Roles.Admin], now))
        {
            events.Updated(user);
            LogAdminPromoted(logger, user.Id);
        }

        if (await passwords.VerifyAsync(user.PasswordHash, password, cancellationToken) != PasswordCheck.Succeeded)
        {
            user.ChangePasswordHash(await passwords.HashAsync(password, cancellationToken), now);
            LogAdminPasswordReset(logger, user.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Users ready: signing key {KeyId}, PBKDF2 iterations {Iterations}")]
    private static partial void LogReady(ILogger logger, string keyId, int iterations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private static partial void LogMigrating(ILogger logger, int count, string migrations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin account configured (Users:Admin:Email / Users:Admin:Password)")]
    private static partial void LogNoAdmin(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the configured admin account {UserId}")]
    private static partial void LogAdminCreated(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave the admin role back to the configured admin account {UserId}")]
    private static partial void LogAdminPromoted(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Set the configured password on the admin account {UserId}")]
    private static partial void LogAdminPasswordReset(ILogger logger, Guid userId);
}
