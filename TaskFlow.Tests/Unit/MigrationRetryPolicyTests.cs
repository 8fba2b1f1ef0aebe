using System.Data.Common;
using TaskFlow.ServiceDefaults.Migrations;

namespace TaskFlow.Tests.Unit;

/// <summary>
/// When the ServiceDefaults database migrator tries again: while the database is not reachable yet, a bounded number
/// of times; never for a failure that another attempt cannot fix.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MigrationRetryPolicyTests
{
    private static readonly MigrationRetryPolicy NoWait = new(maxAttempts: 3, maxDelay: TimeSpan.Zero);

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "08006")] // connection failure
    [InlineData(false, "3D000")] // the database does not exist yet
    [InlineData(false, "57P03")] // the server is starting
    public void An_unreachable_database_is_retried(bool transient, string? sqlState) =>
        Assert.True(MigrationRetryPolicy.IsDatabaseUnreachable(new FakeDbException(transient, sqlState)));

    [Fact]
    public void A_database_error_wrapped_by_EF_Core_is_found_in_the_chain() =>
        Assert.True(MigrationRetryPolicy.IsDatabaseUnreachable(
            new InvalidOperationException("transient failure", new FakeDbException(transient: true, sqlState: null))));

    [Theory]
    [InlineData("42P01")] // a migration referencing a missing table: a bug
    [InlineData("42601")] // a syntax error
    [InlineData(null)]
    public void A_broken_migration_is_not_retried(string? sqlState) =>
        Assert.False(MigrationRetryPolicy.IsDatabaseUnreachable(new FakeDbException(transient: false, sqlState)));

    [Fact]
    public void A_failing_hook_is_not_retried() =>
        Assert.False(MigrationRetryPolicy.IsDatabaseUnreachable(new InvalidOperationException("the admin account is invalid")));

    [Fact]
    public void The_wait_grows_by_a_second_per_attempt_up_to_the_maximum()
    {
        var policy = MigrationRetryPolicy.Default;

        Assert.Equal(10, policy.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayAfter(4));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayAfter(9));
    }

    [Fact]
    public async Task Attempts_repeat_while_the_database_is_unreachable_then_the_migration_runs()
    {
        var attempts = 0;
        var retried = new List<int>();

        await NoWait.ExecuteAsync(
            _ => ++attempts < 3 ? throw new FakeDbException(transient: true, sqlState: null) : Task.CompletedTask,
            (attempt, _, _) => retried.Add(attempt),
            CancellationToken.None);

        Assert.Equal(3, attempts);
        Assert.Equal([1, 2], retried);
    }

    [Fact]
    public async Task The_last_failure_surfaces_after_the_last_attempt() =>
        Assert.Equal(NoWait.MaxAttempts, await AttemptsUntilItGivesUpAsync(new FakeDbException(transient: true, sqlState: null)));

    [Fact]
    public async Task A_failure_another_attempt_cannot_fix_fails_the_start_at_once() =>
        Assert.Equal(1, await AttemptsUntilItGivesUpAsync(new InvalidOperationException("the hook failed")));

    [Fact]
    public async Task A_stopping_host_does_not_retry()
    {
        using var stopping = new CancellationTokenSource();

        Assert.Equal(1, await AttemptsUntilItGivesUpAsync(new FakeDbException(transient: true, sqlState: null), stopping));
    }

    /// <summary>Runs attempts that always fail with <paramref name="failure"/> (cancelling <paramref name="stopping"/> in each); returns how many ran.</summary>
    private static async Task<int> AttemptsUntilItGivesUpAsync(Exception failure, CancellationTokenSource? stopping = null)
    {
        var attempts = 0;
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => NoWait.ExecuteAsync(
            _ =>
            {
                attempts++;
                stopping?.Cancel();
                throw failure;
            },
            (_, _, _) => { },
            stopping?.Token ?? CancellationToken.None));

        Assert.Same(failure, thrown);
        return attempts;
    }

    private sealed class FakeDbException(bool transient, string? sqlState) : DbException("database error")
    {
        public override bool IsTransient => transient;

        public override string? SqlState => sqlState;
    }
}
