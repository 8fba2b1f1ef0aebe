namespace TaskFlow.Users.Infrastructure;

/// <summary>
/// What Users adds to ServiceDefaults' database migrator (<c>AddDatabaseMigrations</c>): after the migrations, under
/// the same advisory lock so that replicas starting together take turns, it reloads the database's types and ensures
/// the configured admin account.
/// </summary>
public static partial class UsersDatabaseSetup
{
    /// <summary>The advisory lock of the Users migrations; any constant shared by all replicas ("taskuser").</summary>
    public const long MigrationLockKey = 0x7461736b_75736572;

    /// <summary>The migrator's hook: runs after the migrations, under the lock, on every start.</summary>
    public static async Task AfterMigrationAsync(UsersDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(services);

        // This connection (and the pool) may predate the citext extension if another replica just created it: load
        // the database's types again, or citext parameters fail on it.
        if (db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            await connection.ReloadTypesAsync(cancellationToken);
        }

        await EnsureAdminAsync(
            db,
            services.GetRequiredService<IOptions<AdminAccountOptions>>().Value,
            services.GetRequiredService<PasswordHashing>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UsersDatabaseSetup)),
            cancellationToken);
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
        var changes = AdminAccountChanges.None;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null)
        {
            user = User.Register(email, options.DisplayName, await passwords.HashAsync(password, cancellationToken), now, [Roles.Admin]);
            db.Users.Add(user);
            events.Registered(user);
            changes = AdminAccountChanges.Created;
        }
        else
        {
            if (user.SetRoles([.. user.Roles, Roles.Admin], now))
            {
                events.Updated(user);
                changes |= AdminAccountChanges.AdminRoleRestored;
            }

            if (await passwords.VerifyAsync(user.PasswordHash, password, cancellationToken) != PasswordCheck.Succeeded)
            {
                user.ChangePasswordHash(await passwords.HashAsync(password, cancellationToken), now);
                changes |= AdminAccountChanges.PasswordSet;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (changes != AdminAccountChanges.None)
        {
            // Someone took the admin role away: worth an operator's look.
            var level = changes.HasFlag(AdminAccountChanges.AdminRoleRestored) ? LogLevel.Warning : LogLevel.Information;
            LogAdminReconciled(logger, level, user.Id, changes);
        }
    }

    /// <summary>What bringing the admin account in line with configuration changed (one log event per start).</summary>
    [Flags]
    private enum AdminAccountChanges
    {
        None = 0,
        Created = 1,
        AdminRoleRestored = 2,
        PasswordSet = 4,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin account configured (Users:Admin:Email / Users:Admin:Password)")]
    private static partial void LogNoAdmin(ILogger logger);

    [LoggerMessage(Message = "Brought the configured admin account {UserId} in line with configuration: {Changes}")]
    private static partial void LogAdminReconciled(ILogger logger, LogLevel level, Guid userId, AdminAccountChanges changes);
}
