using Microsoft.EntityFrameworkCore;

namespace TaskFlow.ServiceDefaults.Migrations;

/// <summary>
/// How <see cref="DatabaseMigrator{TContext}"/> migrates one context: the advisory lock its replicas share (one
/// constant per service), the optional hook run after the migrations under that lock, and when to try again.
/// </summary>
public sealed record DatabaseMigration<TContext>(
    long LockKey,
    Func<TContext, IServiceProvider, CancellationToken, Task>? AfterMigration) where TContext : DbContext
{
    public MigrationRetryPolicy Retry { get; init; } = MigrationRetryPolicy.Default;
}
