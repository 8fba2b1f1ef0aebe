using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskFlow.ServiceDefaults.Migrations;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseMigrationExtensions
{
    /// <summary>
    /// Migrates <typeparamref name="TContext"/> (PostgreSQL) at start with <see cref="DatabaseMigrator{TContext}"/>, under
    /// the advisory lock <paramref name="lockKey"/> (one constant per service, shared by its replicas), then runs
    /// <paramref name="afterMigration"/> under the same lock. Call it right after registering the context, before
    /// anything that needs the migrated tables: hosted services start in registration order.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations<TContext>(
        this IHostApplicationBuilder builder,
        long lockKey,
        Func<TContext, IServiceProvider, CancellationToken, Task>? afterMigration = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new DatabaseMigration<TContext>(lockKey, afterMigration));
        builder.Services.AddHostedService<DatabaseMigrator<TContext>>();
        return builder;
    }
}
